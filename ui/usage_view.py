"""An account's usage and estimated cost: per endpoint, today and this month, and per day.

Everything is read once when the dialog opens (one pass over the month's
request log); the figures are estimates under the prices in Settings.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ahoy_desktop import usage
from ahoy_desktop.db.models import Account

from .context import AppContext

COL_ENDPOINT, COL_REQUESTS, COL_READ, COL_INCLUDED, COL_CHARGED, COL_PRICE, COL_COST = range(7)
COL_DAY = 0  # the Per day table: the day first, then the endpoint table's columns


def money(value: float) -> str:
    return f"${value:,.3f}"


def price_notes(widget: QWidget, prices: usage.Prices) -> list[str]:
    """Which price an estimate used where X's pages disagree, in words."""
    notes = []
    for code in prices.notes():
        if code == "liker_as_like":
            notes.append(widget.tr("Liking users are priced as likes (%1); X's pages also list users at %2.")
                         .replace("%1", money(prices.liker)).replace("%2", money(prices.user)))
        elif code == "owned_reads":
            notes.append(widget.tr("Your own posts, mentions and profile are priced as owned reads (%1), since "
                                   "you own the developer app.").replace("%1", money(prices.owned_read)))
    return notes


class UsageDialog(QDialog):
    def __init__(self, context: AppContext, account_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        account = Account.get_by_id(account_id)
        self.setWindowTitle(self.tr("Usage of @%1").replace("%1", account.username))
        self.resize(820, 480)
        settings = context.settings
        self.prices = usage.Prices.from_settings(settings)
        now = context.clock.now()
        self.today, self.month = usage.account_usage(account_id, now, self.prices)
        first, last = usage.month_of(now)
        workspace = usage.usage(None, first, last, self.prices)
        budget = usage.monthly_budget(settings)

        self.summary_label = QLabel(self._summary(account, workspace.cost, budget))
        self.summary_label.setWordWrap(True)
        tabs = QTabWidget()
        self.today_table = self._endpoint_table(self.today)
        self.month_table = self._endpoint_table(self.month)
        self.days_table = self._days_table(self.month)
        tabs.addTab(self.today_table, self.tr("Today (UTC)"))
        tabs.addTab(self.month_table, self.tr("This month"))
        tabs.addTab(self.days_table, self.tr("Per day"))
        notes = QLabel(self._notes())
        notes.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(tabs, 1)
        layout.addWidget(notes)
        layout.addWidget(buttons)

    def _summary(self, account: Account, workspace_cost: float, budget: float) -> str:
        text = self.tr("This month: %1 requests, estimated %2 (%3 of it for included authors).").replace(
            "%1", str(self.month.requests)).replace("%2", money(self.month.cost)).replace(
            "%3", money(self.month.includes_cost))
        if account.credential_kind != "x":
            return text + " " + self.tr("A sandbox account costs nothing; this is what X would charge.")
        if budget > 0:
            return text + " " + self.tr("All X accounts of this workspace: %1 of the %2 monthly budget.").replace(
                "%1", money(workspace_cost)).replace("%2", money(budget))
        return text + " " + self.tr("All X accounts of this workspace: %1; no budget is set.").replace(
            "%1", money(workspace_cost))

    def _notes(self) -> str:
        return " ".join([self.tr("Estimates from the request log, under the prices in Settings. X charges a "
                                 "resource once per UTC day, whichever request read it."),
                         *price_notes(self, self.prices)])

    def _headers(self) -> list[str]:
        return [self.tr("Endpoint"), self.tr("Requests"), self.tr("Resources read"), self.tr("Included users"),
                self.tr("Charged"), self.tr("Priced as"), self.tr("Estimated cost")]

    def _row(self, entry: usage.EndpointUsage) -> list:
        names = {"owned_read": self.tr("owned read"), "post": self.tr("post"), "user": self.tr("user"),
                 "liker": self.tr("like"), "follower": self.tr("follower")}
        return [entry.endpoint, entry.requests, entry.data_read, entry.includes_read,
                entry.data_billed + entry.includes_billed, names.get(entry.price_name, entry.price_name),
                money(entry.cost)]

    def _total_row(self, label: str, entries: list[usage.EndpointUsage]) -> list:
        return [label, sum(e.requests for e in entries), sum(e.data_read for e in entries),
                sum(e.includes_read for e in entries), sum(e.data_billed + e.includes_billed for e in entries), "",
                money(sum(e.cost for e in entries))]

    def _endpoint_table(self, figures: usage.Usage) -> QTableWidget:
        entries = sorted(figures.endpoints.values(), key=lambda e: -e.cost)
        return self._table(self._headers(), [self._row(e) for e in entries] + [
            self._total_row(self.tr("Total"), entries)])

    def _days_table(self, figures: usage.Usage) -> QTableWidget:
        """Each UTC day, newest first: its endpoints, then the day's total."""
        rows = []
        for day in sorted(figures.days, reverse=True):
            entries = sorted(figures.days[day].values(), key=lambda e: e.endpoint)
            rows += [[day, *self._row(e)] for e in entries]
            rows.append([day, *self._total_row(self.tr("Day total"), entries)])
        return self._table([self.tr("UTC day"), *self._headers()], rows)

    @staticmethod
    def _table(headers: list[str], rows: list[list]) -> QTableWidget:
        table = QTableWidget(len(rows), len(headers))
        table.setHorizontalHeaderLabels(headers)
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                table.setItem(row, column, QTableWidgetItem(str(value)))
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.resizeColumnsToContents()
        return table
