"""A start that answers /help loads only what /help needs. Each module kept out of it here was measured on every
start (bench/bench_startup.py): the PDF stack alone was a third of a second, the command modules with the services
behind them and the phrase grammar a tenth each. A module that creeps back in shows here, not as a slow start."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOT_FOR_HELP = (
    "fpdf", "fontTools", "PIL", "matplotlib",  # the invoice PDF
    "dateparser", "core.phrases.grammar",  # the phrase parser: the first phrase loads it
    "core.commands.work", "core.commands.invoices", "core.invoices", "core.tasks",  # the commands /help lists
    "core.mailer", "smtplib",  # e-mail: only with SMTP_URL
    "pydantic", "adapters.api", "prometheus_client", "alembic",  # the REST API, /metrics, migrations
    "telegram", "slack_bolt", "core.inbox",  # the other channels and their inbox
    "cryptography", "dotenv",  # read no encrypted value (the key check counts key ids), no .env here
)
SHOW_MODULES = ("import atexit, runpy, sys\n"
                "atexit.register(lambda: print('LOADED', *sorted(sys.modules), file=sys.stderr))\n"
                "sys.argv = ['invoicebot', 'chat', '--as', 'alice']\n"
                "runpy.run_module('bot', run_name='__main__', alter_sys=True)\n")


def loaded_answering(text: str, tmp_path: Path) -> set[str]:
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("TELEGRAM_", "SLACK_", "DATABASE_URL", "SMTP_", "INVOICEBOT_"))}
    environment.update({"INVOICEBOT_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)})
    result = subprocess.run([sys.executable, "-c", SHOW_MODULES], input=text, capture_output=True, text=True,
                            env=environment, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stderr.splitlines() if line.startswith("LOADED ")]
    return set(line.split()[1:])


def test_chat_answering_help_loads_none_of_what_only_other_commands_use(tmp_path: Path) -> None:
    loaded_answering("/help\n", tmp_path)  # the first start makes the database (alembic)
    loaded = loaded_answering("/help\n", tmp_path)
    assert {"bot.local", "core.app", "core.commands.help"} <= loaded
    assert sorted(name for name in loaded if name.split(".")[0] in NOT_FOR_HELP or name in NOT_FOR_HELP) == []


def test_the_first_phrase_loads_the_parser_it_needs(tmp_path: Path) -> None:
    loaded = loaded_answering("/client add ACME rate 80\n2h logo design for ACME\n", tmp_path)
    assert {"core.phrases.grammar", "core.commands.work", "core.tasks"} <= loaded


def test_a_server_s_warm_up_loads_every_command_module_and_the_parser(tmp_path: Path) -> None:
    """What the terminal defers, `invoicebot run` loads in the background at start (no user waits for it)."""
    code = ("import gc, sys\nfrom bot.run import warm_up\nfrom core.commands import COMMANDS\nwarm_up()\n"
            "print(*sorted(({c.handler.module for c in COMMANDS} | {'core.phrases.grammar'}) - set(sys.modules)))\n"
            "print(gc.get_freeze_count(), len(gc.get_objects()))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    missing, counts = result.stdout.split("\n")[:2]
    assert missing.strip() == ""
    frozen, collectable = map(int, counts.split())
    assert collectable < frozen / 20  # what it loaded is out of the collector's walk; only what follows is in it


def test_a_first_invoice_loads_no_e_mail_module_nor_an_http_client(tmp_path: Path) -> None:
    """Issuing an invoice that is not mailed needs neither smtplib nor the mailer (a fresh /invoice paid for both),
    nor the requests factur-x imports for a check the bot never asks for (core.factur_x: in sys.modules, unloaded)."""
    loaded_answering("/profile set name Jane Doe\n/profile set address Hauptstr. 1 | 10115 Berlin\n"
                     "/profile set payment IBAN DE89 3704 0044 0532 0130 00\n/profile set country DE\n"
                     "/profile set vat_id DE123456788\n/client add ACME rate 80\n/client set ACME country DE\n"
                     "2h logo design for ACME yesterday\n", tmp_path)
    loaded = loaded_answering("/invoice ACME\n", tmp_path)
    assert {"core.commands.invoices", "fpdf", "facturx"} <= loaded
    assert sorted(name for name in loaded if name in ("core.mailer", "core.smtp", "smtplib")) == []
    assert sorted(name for name in loaded if name.startswith(("requests.", "urllib3", "charset_normalizer"))) == []


COUNT_FULL_COLLECTIONS = ("import atexit, gc, runpy, sys\n"
                          "full = []\n"
                          "gc.callbacks.append(lambda phase, info: phase == 'stop' and info['generation'] == 2"
                          " and full.append(gc.get_freeze_count()))\n"
                          "atexit.register(lambda: print('GC', full.count(0), gc.get_freeze_count(),"
                          " file=sys.stderr))\n"
                          "sys.argv = ['invoicebot', 'chat', '--as', 'alice']\n"
                          "runpy.run_module('bot', run_name='__main__', alter_sys=True)\n")


def test_the_start_s_objects_are_frozen_out_of_the_collector_s_way(tmp_path: Path) -> None:
    """What a start loads lives as long as the process: the start makes it with the collector off and freezes it,
    so no full collection walks it (bot.cli._settle; such collections were over a quarter of a fresh /invoice's
    CPU)."""
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("TELEGRAM_", "SLACK_", "DATABASE_URL", "SMTP_", "INVOICEBOT_"))}
    environment.update({"INVOICEBOT_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)})
    loaded_answering("/help\n", tmp_path)  # the first start makes the database
    result = subprocess.run([sys.executable, "-c", COUNT_FULL_COLLECTIONS], input="/help\n", capture_output=True,
                            text=True, env=environment, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stderr.splitlines() if line.startswith("GC ")]
    full_collections_before_the_freeze, frozen = map(int, line.split()[1:])
    assert full_collections_before_the_freeze == 0
    assert frozen > 100_000  # SQLAlchemy, the models, the command table
