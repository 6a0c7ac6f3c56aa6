"""One client message, any channel: state (who owns the conversation), recovery, the pipeline."""
