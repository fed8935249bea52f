"""The errors of SCORM packages and their run-time data: each carries the Russian text shown to people."""


class PackageError(Exception):
    """An uploaded package is refused; ``message`` says why, for the lesson editor's form."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class RuntimeDataError(Exception):
    """The data a package sent is refused (a 400 with ``message``)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message
