"""The mbox oracle (test/integration/mbox-python.test.ts): Python's standard library writes a
mailbox and reads it back; the test holds Dossier's splitter to what Python reads.

    mbox-oracle.py mboxo PATH SEED   write PATH with mailbox.mbox (">From " quoting), print
                                     what Python reads from it, as JSON on stdout
    mbox-oracle.py mboxrd PATH SEED  write PATH mboxrd-style (each /^>*From / line gets one
                                     more ">"), print what Python reads and the originals
    mbox-oracle.py read PATH         print what Python reads from a mailbox the test wrote

Each message read is {"from": get_from(), "bytes": base64 of get_bytes(), "subject",
"messageId", "address", "timestamp", "offsetMinutes"} (the last five from the email
package, null when absent); mboxrd output also has "original" (the message before quoting)
and "unquoted" (get_bytes() with one ">" taken from each /^>+From / line).
"""

import base64
import email
import email.policy
import email.utils
import json
import mailbox
import random
import re
import sys
from email.message import EmailMessage


def handmade():
    """Messages that each exercise one thing a mailbox writer or reader can get wrong."""
    out = []
    m = EmailMessage()
    m["From"] = '"Concerned Parent" <anon@example.net>'
    m["To"] = "person@example.org"
    m["Subject"] = "From lines in the body"
    m["Date"] = "Tue, 05 Mar 2024 21:14:00 -0500"
    m["Message-ID"] = "<from-lines@example.net>"
    m.set_content("From here on I watch you.\n>From quoted already\nFrom\nFrom: not a header\nend\n")
    out.append(m.as_bytes())

    m = EmailMessage()
    m["From"] = "Jörg <joerg@example.de>"
    m["Subject"] = "Café, attachments"
    m["Date"] = "Wed, 06 Mar 2024 08:00:00 +0530"
    m["Message-ID"] = "<attach@example.de>"
    m.set_content("See the files.\n")
    m.add_attachment(bytes(range(256)) * 8, maintype="application", subtype="octet-stream", filename="blob.bin")
    m.add_attachment(b"\x89PNG\r\n\x1a\n" + bytes(200), maintype="image", subtype="png", filename="shot.png")
    out.append(m.as_bytes())

    out.append(
        b"From: eight@example.net\nSubject: 8-bit\nDate: Thu, 07 Mar 2024 10:00:00 EST\n"
        b"Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n\n"
        b"caf\xe9 \xff\x80 na\xefve\nFrom \xe9t\xe9\n"
    )
    out.append(
        b"From: crlf@example.net\r\nSubject: CRLF\r\nDate: Fri, 08 Mar 2024 12:00:00 +0000\r\n\r\n"
        b"Windows lines\r\nFrom the PC\r\n"
    )
    out.append(b"From: nonl@example.net\nSubject: no newline at the end\n\nlast line without one")
    out.append(b"From: blank@example.net\nSubject: ends in blank lines\n\ntext\n\n\n")
    out.append(b"Subject: headers only\n")
    return out


# No ">>From": in a file Python writes (mboxo) such a line would read as mboxrd evidence
# (docs/conversations.md, "mbox"); mboxrd quoting makes them from ">From".
WORDS = ["From", ">From", "From:", "from", "you", "know", "\xe9t\xe9", "\u00fc", "I", "will", "="]


def generated(seed, count):
    """Random messages: words, line breaks, "From " at line starts, CRLF or LF, 8-bit text."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        lines = []
        for _ in range(rng.randint(0, 12)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(0, 8))]
            lines.append(" ".join(words))
        nl = "\r\n" if rng.random() < 0.3 else "\n"
        head = [
            f"From: Sender {i} <s{i}@example.net>",
            f"Subject: generated {i}",
            f"Date: Sat, {1 + i % 28:02d} Jun 2024 {i % 24:02d}:{i % 60:02d}:00 {rng.choice(['+0000', '-0700', '+0100', '+0545'])}",
            f"Message-ID: <g{i}@example.net>",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
        ]
        text = nl.join(head) + nl + nl + nl.join(lines)
        if rng.random() < 0.8:
            text += nl
        out.append(text.encode("utf-8"))
    return out


def mboxrd_quote(data):
    return re.sub(rb"(?m)^(>*From )", rb">\1", data)


def describe(mbox, key):
    data = mbox.get_bytes(key)
    msg = email.message_from_bytes(data, policy=email.policy.default)
    when = None
    offset = None
    if msg["Date"]:
        try:
            d = email.utils.parsedate_to_datetime(str(msg["Date"]))
            if d.tzinfo is not None:
                when = d.timestamp()
                offset = int(d.utcoffset().total_seconds() // 60)
        except (TypeError, ValueError):
            pass
    address = None
    if msg["From"]:
        address = email.utils.parseaddr(str(msg["From"]))[1].lower() or None
    return {
        "from": mbox.get_message(key).get_from(),
        "bytes": base64.b64encode(data).decode("ascii"),
        "subject": str(msg["Subject"]) if msg["Subject"] is not None else None,
        "messageId": str(msg["Message-ID"]).strip() if msg["Message-ID"] is not None else None,
        "address": address,
        "timestamp": when,
        "offsetMinutes": offset,
    }


def main():
    mode, path = sys.argv[1], sys.argv[2]
    if mode == "read":
        box = mailbox.mbox(path, create=False)
        json.dump([describe(box, key) for key in box.keys()], sys.stdout)
        box.close()
        return
    seed = int(sys.argv[3])
    messages = handmade() + generated(seed, 150)
    box = mailbox.mbox(path, create=True)
    if mode == "mboxrd":
        box._mangle_from_ = False  # quoted here instead, mboxrd-style
        for m in messages:
            box.add(mboxrd_quote(m))
    else:
        for m in messages:
            box.add(m)
    box.flush()
    box.close()
    box = mailbox.mbox(path, create=False)
    read = [describe(box, key) for key in box.keys()]
    if mode == "mboxrd":
        for r, m in zip(read, messages):
            r["original"] = base64.b64encode(m).decode("ascii")
            unquoted = re.sub(rb"(?m)^>(>*From )", rb"\1", base64.b64decode(r["bytes"]))
            r["unquoted"] = base64.b64encode(unquoted).decode("ascii")
    box.close()
    json.dump(read, sys.stdout)


main()
