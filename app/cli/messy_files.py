"""`spendsense seed --messy DIR`: the messy statement files of a data set
and their truth, written under DIR (the generator is
app.services.synthetic.messy; this only writes what it gives)."""

import json
from collections import Counter
from pathlib import Path

from rich.console import Console

from app.cli.output import progress
from app.services.synthetic import SeedSpec
from app.services.synthetic.messy import generate_messy, spec_fields

MANIFEST = "manifest.json"


def write_messy(spec: SeedSpec, folder: Path, out: Console) -> int:
    """DIR/<user id>/<account>_<start>_<end>.<ofx|qfx|csv> and DIR/manifest.json:
    {"spec": ..., "users": {user id: {files, accounts, rows, as_of, planted}}}."""
    folder.mkdir(parents=True, exist_ok=True)
    users: dict[str, object] = {}
    formats: Counter[str] = Counter()
    rows = 0
    with progress() as bar:
        task = bar.add_task("writing statement files", total=spec.users + spec.streams)
        for messy in generate_messy(spec):
            home = folder / messy.user_id
            home.mkdir(exist_ok=True)
            for item in messy.files:
                (home / item.name).write_bytes(item.data)
                formats[item.name.rsplit(".", 1)[-1]] += 1
            files = [
                {"name": f.name, "account": f.account, "format": f.format, "sign": f.sign}
                for f in messy.files
            ]
            users[messy.user_id] = {"files": files, **messy.truth}
            rows += len(messy.truth["rows"])
            bar.advance(task)
    manifest = {"spec": spec_fields(spec), "users": users}
    (folder / MANIFEST).write_text(json.dumps(manifest, sort_keys=True) + "\n")
    kinds = ", ".join(f"{n} .{kind}" for kind, n in sorted(formats.items()))
    out.print(
        f"wrote {sum(formats.values())} statement files ({kinds}) for {len(users)} users, "
        f"{rows} rows, and {folder / MANIFEST}",
        soft_wrap=True,
    )
    return 0
