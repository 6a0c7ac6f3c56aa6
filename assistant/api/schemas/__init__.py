"""Request and response models of the HTTP API, one module per surface.

Response models are named `*Public` (what a caller may see), after the FastAPI
full-stack template; routes declare them as `response_model`, so FastAPI checks every
answer against them and the OpenAPI document describes it (tests/api/test_openapi_contract.py).
"""
