"""invoicebot's channel-agnostic core: parsing, money, accounts, clients, tasks, invoices, reminders, storage.

Nothing here imports from ``bot``, ``adapters``, ``telegram`` or ``slack_bolt``: channels turn their
platform's messages into :class:`core.messages.Incoming` and send back :class:`core.messages.Reply`.
"""
