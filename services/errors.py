class ServiceError(Exception):
    """A request that cannot be done; ``code`` selects the Indonesian message."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
