"""The front desk's processes, started and kept up (see stack.py); the names other code imports."""

from assistant.stack.config import StackConfig, free_port, member_names, port_is_free
from assistant.stack.stack import Stack
from assistant.supervisor.supervisor import StackError

__all__ = ["Stack", "StackConfig", "StackError", "free_port", "member_names", "port_is_free"]
