"""Channel-agnostic handling of a client's message: screen, route to bot or rep, record replies."""
