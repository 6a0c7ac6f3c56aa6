"""The TwiML builders (channels/voice/twiml.py), read back as XML: every verb Twilio
needs, with the attributes a phone call relies on; what a caller says is escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from assistant.channels.voice import twiml

VOICE = twiml.Voice("Polly.Matthew")


def _parse(response: object) -> ET.Element:
    return ET.fromstring(str(response))


def test_listening_takes_speech_and_keys_and_reports_silence_too() -> None:
    root = _parse(twiml.listen(["Hello.", "How can I help?"], VOICE, turn=3, hints=["Zoom", "portal"]))
    [gather] = list(root)
    assert gather.tag == "Gather"
    assert gather.attrib["input"] == "dtmf speech"
    assert gather.attrib["action"] == "/twilio/voice/gather?turn=3"
    assert gather.attrib["actionOnEmptyResult"] == "true"
    assert gather.attrib["speechModel"] == "phone_call" and gather.attrib["enhanced"] == "true"
    assert gather.attrib["hints"] == "Zoom, portal" and gather.attrib["numDigits"] == "1"
    assert [(say.text, say.attrib["voice"]) for say in gather] == [
        ("Hello.", "Polly.Matthew"),
        ("How can I help?", "Polly.Matthew"),
    ]


def test_a_date_of_birth_is_eight_keys() -> None:
    assert (
        _parse(twiml.listen(["Your date of birth?"], VOICE, turn=1, digits=8)).find("Gather").attrib["numDigits"] == "8"
    )  # type: ignore[union-attr]


def test_what_is_said_is_escaped_not_markup() -> None:
    root = _parse(twiml.listen(['<Hangup/> & "quotes"'], VOICE, turn=1))
    assert root.find("Gather/Say").text == '<Hangup/> & "quotes"'  # type: ignore[union-attr]
    assert root.find(".//Hangup") is None


def test_a_filler_comes_back_for_the_reply() -> None:
    root = _parse(twiml.hold_on("One moment.", VOICE, turn=4, waiting_for=77, waits=1))
    assert [child.tag for child in root] == ["Say", "Redirect"]
    redirect = root.find("Redirect")
    assert redirect is not None and redirect.attrib["method"] == "POST"
    assert redirect.text == "/twilio/voice/gather?turn=4&pickup=77&waits=1"


def test_a_transfer_rings_through_and_reports_back() -> None:
    root = _parse(
        twiml.transfer(
            ["Connecting you."], VOICE, ["+15550001", "+15550002"], target="front_desk", caller_id="+15550100"
        )
    )
    assert [child.tag for child in root] == ["Say", "Dial"]
    dial = root.find("Dial")
    assert dial is not None
    assert dial.attrib["answerOnBridge"] == "true" and dial.attrib["callerId"] == "+15550100"
    assert dial.attrib["action"] == "/twilio/voice/dial-result?target=front_desk"
    assert [number.text for number in dial.iter("Number")] == ["+15550001", "+15550002"]


def test_a_message_is_recorded_trimmed_and_transcribed() -> None:
    root = _parse(twiml.take_message(["Leave a message."], VOICE))
    assert [child.tag for child in root] == ["Say", "Record", "Hangup"]
    record = root.find("Record")
    assert record is not None
    assert record.attrib["trim"] == "trim-silence" and record.attrib["transcribe"] == "true"
    assert record.attrib["maxLength"] == str(twiml.VOICEMAIL_SECONDS) and record.attrib["playBeep"] == "true"
    assert record.attrib["action"] == "/twilio/voice/recording?event=recorded"
    assert record.attrib["transcribeCallback"] == "/twilio/voice/recording?event=transcribed"


def test_goodbye_pauses_then_hangs_up() -> None:
    assert [child.tag for child in _parse(twiml.goodbye(["Bye."], VOICE))] == ["Say", "Pause", "Hangup"]
