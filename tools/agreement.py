"""Agreement between two independent codings of the same documents (issue #11's ceiling).

    python tools/agreement.py tests/gold/agreement/first_coder_state.jsonl \\
        tests/gold/agreement/second_coder_state.jsonl

Each coding is scored as the gold of the other with the project's scorer (the rules of the
gold README): coder B's *required* events, each reduced to the first country code it lists,
are predictions against coder A's gold, and the other way round. The F1 of the two directions
is the same figure a coder's F1 is read against; their mean is quoted as the agreement.
Dates and places are compared on the matched events as the scorer does.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tidings.evaluate import Report, evaluate_events  # noqa: E402


def _load(path: Path) -> dict[str, dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return {d["id"]: d for d in map(json.loads, filter(str.strip, fh))}


def _as_predictions(docs: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for doc_id, d in docs.items():
        for e in d["events"]:
            if e["optional"]:
                continue
            out.append({"doc_id": doc_id, "event_type": e["type"],
                        "source": {"country": e["source"][0]},
                        "target": {"country": e["target"][0]} if e["target"] else None,
                        "date": e["date"],
                        "location": {"country": e["location"]} if e["location"] else None,
                        "sentence": e["evidence"], "rule": "coder"})
    return out


def agreement(a: dict[str, dict[str, Any]], b: dict[str, dict[str, Any]]) -> tuple[Report,
                                                                                    Report]:
    ids = sorted(set(a) & set(b))
    a_, b_ = {i: a[i] for i in ids}, {i: b[i] for i in ids}
    return (evaluate_events(list(a_.values()), _as_predictions(b_), name="A as gold"),
            evaluate_events(list(b_.values()), _as_predictions(a_), name="B as gold"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("a", type=Path)
    ap.add_argument("b", type=Path)
    args = ap.parse_args()
    ra, rb = agreement(_load(args.a), _load(args.b))
    for r in (ra, rb):
        c = r.overall
        print(f"{r.name}: {r.documents} documents, tp {c.tp} fp {c.fp} fn {c.fn}, "
              f"P {c.precision:.3f} R {c.recall:.3f} F1 {c.f1:.3f}, "
              f"date {r.date_accuracy}, place {r.location_accuracy}")
    print(f"agreement (mean F1 of the two directions): {(ra.f1 + rb.f1) / 2:.3f}")


if __name__ == "__main__":
    main()
