"""The admin's practice-questions editor: list with previews, preview a draft (what web chat
and SMS would say), save and clear (audited); reps 403, CSRF needed, bad input 4xx."""

from __future__ import annotations

from sqlalchemy import select

from assistant.services.practice_faq import Question, reply
from assistant.store.engine import session_scope
from assistant.store.models import AuditEvent, Practice, utcnow
from tests.support.console import Signed

BASE = "/api/rep/practice-questions"


def put(signed: Signed, question: str, body: dict, csrf: str | None = None) -> tuple[int, dict]:
    response = signed.http.put(f"{BASE}/{question}", json=body, headers={"X-CSRF-Token": csrf or signed.csrf})
    return response.status_code, response.json()


def test_the_list_shows_every_question_with_what_clients_get(admin: Signed) -> None:
    response = admin.get(BASE)
    assert response.status_code == 200
    questions = {item["question"]: item for item in response.json()["questions"]}
    assert set(questions) == {question.value for question in Question}
    parking = questions["parking"]
    assert parking["editable"] and parking["answer"].startswith("Free parking is in the lot")
    assert parking["preview"]["web"].startswith("Free parking") and parking["preview"]["sms"]
    hours = questions["hours"]
    assert not hours["editable"] and hours["source"].startswith("Front desk hours")
    assert hours["preview"]["web"].startswith("Our front desk hours are Monday to Friday 9 AM to 5 PM")


def test_preview_renders_a_draft_as_the_bot_would_and_saves_nothing(admin: Signed, database_url: str) -> None:
    draft = {"answer": "Park in the garage on Pine St; we validate.", "link_url": "https://lakeside.example/park"}
    response = admin.post(f"{BASE}/parking/preview", draft)
    assert response.status_code == 200
    assert response.json() == {
        "web": "Park in the garage on Pine St; we validate.\nMore on getting here: https://lakeside.example/park",
        "sms": "Park in the garage on Pine St; we validate.\nMore on getting here: https://lakeside.example/park",
        "problems": [],
    }
    with session_scope(database_url) as session:
        practice = session.scalars(select(Practice).where(Practice.slug == "lakeside")).one()
        still = reply(session, practice, Question.PARKING, phone=False, now=utcnow()).text
    assert still.startswith("Free parking is in the lot")


def test_preview_warns_when_a_text_could_not_carry_the_answer(admin: Signed) -> None:
    response = admin.post(f"{BASE}/first_session/preview", {"answer": "Dr. Maya Patel will meet you in therapy."})
    body = response.json()
    assert response.status_code == 200 and body["sms"] is None and body["web"]
    assert "Texts and calls will not carry this answer" in body["problems"][0]


def test_an_admin_saves_and_clears_an_answer_and_both_are_audited(admin: Signed, database_url: str) -> None:
    status, saved = put(admin, "insurance", {"answer": "We take Aetna only.", "link_url": None})
    assert status == 200 and saved["answer"] == "We take Aetna only." and saved["updated_at"]
    assert saved["preview"]["web"] == "We take Aetna only."
    with session_scope(database_url) as session:
        practice = session.scalars(select(Practice).where(Practice.slug == "lakeside")).one()
        assert reply(session, practice, Question.INSURANCE, phone=True, now=utcnow()).text == "We take Aetna only."
    cleared = admin.http.delete(f"{BASE}/insurance", headers={"X-CSRF-Token": admin.csrf})
    assert cleared.status_code == 200 and cleared.json() == {"deleted": True}
    listed = {item["question"]: item for item in admin.get(BASE).json()["questions"]}
    assert listed["insurance"]["answer"] is None and listed["insurance"]["preview"]["web"] is None
    with session_scope(database_url) as session:
        actions = list(
            session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.action.startswith("practice_answer_"))
                .order_by(AuditEvent.id)
            )
        )
    assert actions == ["practice_answer_saved", "practice_answer_cleared"]


def test_reps_are_refused_the_editor_and_its_page(rep: Signed) -> None:
    assert rep.get(BASE).status_code == 403
    assert put(rep, "parking", {"answer": "Anywhere."})[0] == 403
    assert rep.post(f"{BASE}/parking/preview", {"answer": "Anywhere."}).status_code == 403
    assert rep.http.delete(f"{BASE}/parking", headers={"X-CSRF-Token": rep.csrf}).status_code == 403
    page = rep.get("/console/practice-questions")
    assert page.status_code == 403 and "Practice questions" not in page.text.split("<main", 1)[-1][:200]


def test_changes_need_the_csrf_token(admin: Signed) -> None:
    for headers in ({}, {"X-CSRF-Token": "wrong"}):
        response = admin.http.put(f"{BASE}/parking", json={"answer": "Anywhere."}, headers=headers)
        assert response.status_code == 403 and "CSRF" in response.text
    assert admin.get(BASE).json()["questions"][3]["answer"].startswith("Free parking")


def test_bad_input_is_4xx_and_changes_nothing(admin: Signed) -> None:
    before = admin.get(BASE).json()
    cases = [
        ("parking", {"answer": ""}, 422),
        ("parking", {"answer": "   "}, 422),
        ("parking", {"answer": "x" * 1001}, 422),
        ("parking", {"answer": "ok", "link_url": "http://lakeside.example"}, 422),
        ("parking", {"answer": "ok", "link_url": "javascript:alert(1)"}, 422),
        ("parking", {"answer": "ok", "link_url": "https://x.example/" + "a" * 600}, 422),
        ("parking", {"answer": "ok", "extra": 1}, 422),
        ("parking", {"answer": 5}, 422),
        ("hours", {"answer": "Always open."}, 422),  # answered from Practice settings
        ("weather", {"answer": "Sunny."}, 404),
    ]
    for question, body, expected in cases:
        status, detail = put(admin, question, body)
        assert status == expected, (question, body, status, detail)
        assert isinstance(detail["detail"], str)
    assert admin.get(BASE).json() == before


def test_the_admin_page_is_served_with_its_script(admin: Signed) -> None:
    page = admin.get("/console/practice-questions")
    assert page.status_code == 200
    assert '<script src="/console/static/practice_questions.js"' in page.text
    assert "Content-Security-Policy" in page.headers
    script = admin.get("/console/static/practice_questions.js")
    assert script.status_code == 200 and "innerHTML" not in script.text
    assert 'href="/console/practice-questions"' in admin.get("/console/admin").text
