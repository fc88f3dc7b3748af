"""Japanese quotation marks inside quotation marks: 「「高いね」と言われたら」 becomes 「『高いね』と言われたら」.

Messages quote a title in 「」 (「%(title)s」を確認してください), and titles often carry quotes of their own
(「高いね」と言われたら). Japanese writes a quote inside a quote with 『』, so text shown to people is passed
through ``nest_quotes`` where a quoted value meets a quoting message: notifications, flash messages, e-mails.
"""

OPEN, CLOSE = "「", "」"
INNER = {OPEN: "『", CLOSE: "』"}


def nest_quotes(text: str) -> str:
    """Return the text with every 「」 pair that sits inside another 「」 pair written as 『』.

    Text whose brackets do not balance is returned unchanged: guessing there would make it worse.
    """
    if OPEN not in text:
        return text
    depth = 0
    out = []
    for char in text:
        if char == OPEN:
            out.append(INNER[char] if depth else char)
            depth += 1
        elif char == CLOSE:
            depth -= 1
            if depth < 0:
                return text
            out.append(INNER[char] if depth else char)
        else:
            out.append(char)
    return "".join(out) if depth == 0 else text
