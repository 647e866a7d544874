"""Every error parley raises on purpose.

    ParleyError                  base: the CLI turns any of these into one line
    ├── InputError               an input cannot be read (names file and line)
    │   └── HostileInputError    an input exceeds a safety cap (size, depth, ratio)
    ├── ConfigurationError       an unknown backend, a bad option value, a missing extra
    │   └── UsageError           options that cannot mean anything (the CLI exits 2)
    ├── ModelError               the language model is not installed or fails to load
    ├── StoreError               the SQLite store cannot be opened or is corrupt
    └── OutputError              a file asked for (-o) cannot be written

Third-party exceptions are translated at the boundary (`raise ... from exc`),
so users never see a traceback.
"""
from __future__ import annotations


class ParleyError(Exception):
    """Base class: `str(err)` is a one-line message that says what to do."""


class InputError(ParleyError):
    def __init__(self, path: str, reason: str, line: int | None = None):
        self.path, self.reason, self.line = str(path), reason, line
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {reason}")


class HostileInputError(InputError):
    pass


class ConfigurationError(ParleyError):
    pass


class UsageError(ConfigurationError):
    """The command was asked something meaningless: an unknown backend, binary output to a terminal."""


class ModelError(ParleyError):
    pass


class StoreError(ParleyError):
    pass


class OutputError(ParleyError):
    @classmethod
    def writing(cls, path: object, exc: OSError) -> "OutputError":
        return cls(f"cannot write {path}: {exc.strerror or exc}; choose another -o")
