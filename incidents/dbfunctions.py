"""Small database functions that behave the same on SQLite and PostgreSQL."""

from django.db.models import DateField, Func


class ShiftDays(Func):
    """A date moved by a whole number of days, still a date, on both databases.

    Django's ``F("day") + timedelta(...)`` yields a timestamp on PostgreSQL and a
    datetime *string* on SQLite, which compares wrongly against a plain date
    string at the boundary day. This stays a date on both.
    """

    output_field = DateField()

    def __init__(self, expression, days: int, **extra):
        self.days = int(days)
        super().__init__(expression, **extra)

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} + %s)", (*params, self.days)

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date({sql}, %s)", (*params, f"{self.days:+d} days")
