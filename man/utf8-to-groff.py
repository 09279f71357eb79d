#!/usr/bin/env python3
"""Turn a UTF-8 man page master into the ASCII page groff reads without -k.

Every non-ASCII character becomes \\[uXXXX]; between two wide (CJK)
characters a \\: break point is added (Chinese breaks between characters),
except before 、，。 and the like and next to brackets (a clause
number such as 二（一）2 stays whole); identifiers get \\% so that they are
not hyphenated.  A word that holds Chinese is never hyphenated: groff would
otherwise split a code or a path glued to Chinese text (审核员（re-viewer）),
and a \\% inside such a word is a hyphenation point, not a guard; so the word
starts with \\%, each break point is \\:\\% (groff starts a new word there),
and identifiers inside it get no \\% of their own (words of Chinese and
digits alone cannot be hyphenated and are left as they were).  The line
'.\\" @NOCJK@' is replaced by fallback definitions: on devices other than
utf8 a glyph the device lacks prints as '?', so groff -ww stays silent.
A translated page (its .SH headings in Chinese) is not hyphenated at all.
"""
import re
import sys

# Identifiers (codes, column names, the program's name) must not be
# hyphenated: \\% in front of each.  Escapes are skipped whole.
TOKEN = re.compile(r"\\[fF*n]?\[[^\]]*\]|\\[fF*n]?\(..|\\[fF*n].|\\.|[A-Za-z0-9_*]+")
IDENT = re.compile(r"[a-z][a-z0-9]*_[a-z0-9_*]*|guantong")


def protect(line):
    def one(m):
        w = m.group(0)
        pre = line[max(0, m.start() - 2):m.start()]
        if IDENT.fullmatch(w) and pre != "\\%" and not pre.endswith(("-", "/")):
            return "\\%" + w
        return w
    return TOKEN.sub(one, line)


NO_BREAK_BEFORE = set("、，。；：！？…—")
BRACKETS = set("（）「」『』〔〕《》")


def wide(c):
    return ord(c) >= 0x2E80


def esc(c):
    return c if ord(c) < 128 else "\\[u%04X]" % ord(c)


# What may precede a word's first character: a macro argument's quote and
# font changes.
LEAD = re.compile(r'^(?:"|\\&|\\f\[[^\]]*\]|\\f\(..|\\f[A-Z])*')


def convert_chars(text, brk):
    out = []
    for i, c in enumerate(text):
        out.append(esc(c))
        n = text[i + 1] if i + 1 < len(text) else ""
        if wide(c) and n and wide(n) and n not in NO_BREAK_BEFORE \
                and c not in BRACKETS and n not in BRACKETS:
            out.append(brk)
    return "".join(out)


ESCAPE = re.compile(r"\\(?:[fF*n]?\[[^\]]*\]|[fF*n]?\(..|[fF*n].|.)")


def convert_word(word):
    letters = re.search(r"[A-Za-z]", ESCAPE.sub("", word))
    if not letters or not any(wide(c) for c in word):
        return convert_chars(protect(word), "\\:")
    lead = LEAD.match(word).end()
    guard = "" if word[lead:].startswith("\\%") else "\\%"
    return convert_chars(word[:lead] + guard + word[lead:], "\\:\\%")


def convert_line(line):
    if line.startswith('.\\"') or line.startswith("'\\\""):
        assert all(ord(c) < 128 for c in line), line
        return line
    if line.startswith(".de") or line.startswith(".TH"):
        return convert_chars(line, "\\:")
    return " ".join(convert_word(w) for w in line.split(" "))


def main(src, dst):
    text = open(src, encoding="utf-8").read()
    chars = sorted({c for c in text if ord(c) >= 128})
    lines = [convert_line(l) for l in text.split("\n")]
    fb = ['.\\" Glyphs only the utf8 device has: elsewhere each prints as "?".',
          ".de GT-NOGLYPH",
          ".  while \\\\n[.$] \\{\\",
          ".    if !c\\\\$1 .char \\\\$1 ?",
          ".    shift",
          ".  \\}",
          "..",
          ".if !'\\*[.T]'utf8' \\{\\"]
    for i in range(0, len(chars), 16):
        fb.append(".  GT-NOGLYPH " + " ".join(esc(c) for c in chars[i:i + 16]))
    fb.append(".\\}")
    # A page whose sections are named in Chinese is a translation: its Latin
    # words are codes, column names and commands, never hyphenated.
    chinese = any(l.startswith(".SH") and any(wide(c) for c in l) for l in text.split("\n"))
    out = []
    for l in lines:
        out.extend(fb if l.strip() == '.\\" @NOCJK@' else [l])
        if chinese and l.startswith(".TH"):
            # .hy 0 and HY 0: the man macros restore hyphenation from HY at
            # every paragraph and after .YS (an .nh would last one paragraph)
            out.extend([".nr HY 0", ".hy 0"])
    open(dst, "w", encoding="ascii").write("\n".join(out))


main(sys.argv[1], sys.argv[2])
