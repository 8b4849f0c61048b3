"""Re-derives every custody hash and link from the rows as stored, without Dossier's code.

Input: a file of JSON lines, one custody_log row each, with `subjects` and `details` as the
stored JSON text. Output: one line per entry, "<seq> ok" or "<seq> BROKEN <why>", and exit
status 1 if any is broken. This is docs/vault-format.md section 8 in Python: entries from
schema version 9 on hash json.dumps(..., sort_keys=True, separators=(",", ":"),
ensure_ascii=False); older ones may hold fractions, which are kept as they were written.
"""
import hashlib
import json
import re
import sys


class Written(str):
    """A number with a fraction or an exponent, as it was written (entries before schema 9)."""


def canon(o):
    if isinstance(o, Written):
        return str(o)
    if isinstance(o, dict):
        return "{" + ",".join(canon(k) + ":" + canon(o[k]) for k in sorted(o)) + "}"
    if isinstance(o, list):
        return "[" + ",".join(canon(v) for v in o) + "]"
    # Before schema 9 an unpaired surrogate was written as JavaScript does: \udxxx.
    return UNPAIRED.sub(lambda m: "\\u%04x" % ord(m.group()), json.dumps(o, ensure_ascii=False))


UNPAIRED = re.compile("[\ud800-\udfff]")


def main(path):
    prev, broken = "0" * 64, 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            body = {
                "seq": row["seq"],
                "at": row["at"],
                "actor": row["actor"],
                "action": row["action"],
                "subjects": json.loads(row["subjects"]),
                "details": json.loads(row["details"], parse_float=Written),
                "prev": row["prev"],
            }
            plain = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            mine = canon(body)
            digest = hashlib.sha256(mine.encode("utf-8")).hexdigest()
            why = []
            if row["prev"] != prev:
                why.append("prev does not link")
            if digest != row["hash"]:
                why.append("hash differs")
            if not written_before_9(body) and plain != mine:
                why.append("json.dumps differs from the canonical form")
            print(row["seq"], "ok" if not why else "BROKEN " + "; ".join(why))
            broken += bool(why)
            prev = row["hash"]
    return 1 if broken else 0


def written_before_9(body):
    """Whether the entry holds what only entries before schema 9 can: a fraction, a broken pair."""
    return any(
        isinstance(v, Written) or (isinstance(v, str) and UNPAIRED.search(v)) for v in walk(body)
    )


def walk(o):
    if isinstance(o, dict):
        for k, v in o.items():
            yield k
            yield from walk(v)
    elif isinstance(o, list):
        for v in o:
            yield from walk(v)
    else:
        yield o


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
