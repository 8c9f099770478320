"""Domain errors: what the UI shows with ``st.error`` and the CLI prints in one line."""


class DashboardError(Exception):
    """Base class of every error this package raises on purpose."""


class DataFileError(DashboardError):
    """An events file that cannot be read at all (missing, unreadable, wrong columns)."""


class ImportRefused(DataFileError):
    """A file that cannot be imported at all; the message is one sentence saying why."""


class GeodataError(DashboardError):
    """The gazetteer or region shapes in ``geodata/`` are missing or malformed."""


class DocumentRefused(DashboardError):
    """A report the extractor cannot read (too large, not a document, a PDF without text);
    the message is one sentence saying why."""


class DatabaseError(DashboardError):
    """The events database refused a request; the message never holds its URL or password."""


class DatabaseUnavailable(DatabaseError):
    """The events database cannot be reached or logged into (down, moved, wrong login)."""
