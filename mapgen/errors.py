"""Error types: an InputError is the user's to fix and ends a command with exit code 2."""


class InputError(ValueError):
    """Unusable input or arguments; the message is one line naming the file and the problem."""
