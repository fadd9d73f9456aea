#!/usr/bin/env python3
"""Builds the man pages meshplane(8), meshctl(8) and meshplane.json(5) from the reference tables of
README.md and conf/README.md, so the pages say what the READMEs say and cannot drift from them: the
build runs this (meson custom_target) and the tests lint what it writes.
Usage: mkman.py README.md conf/README.md OUTDIR VERSION"""
import re
import sys

readme_path, conf_path, outdir, version = sys.argv[1:5]
readme = open(readme_path, encoding="utf-8").read()
conf = open(conf_path, encoding="utf-8").read()
DATE = "2026-12-01"

# Characters the READMEs use, as roff escapes both groff and mandoc know; the rest as \[uXXXX].
SPECIAL = {"×": r"\(mu", "≤": r"\(<=", "≥": r"\(>=", "≈": r"\(~~", "–": r"\(en", "—": r"\(em",
           "→": r"\(->", "µ": r"\(mc", "·": r"\(pc", "−": r"\(mi", "’": "'", "“": r"\(lq", "”": r"\(rq"}


SUPERSCRIPT = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")


def esc(text):
    """Markdown inline text to roff: code in bold, links as their text, escapes."""
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)   # [text](link) -> text
    text = re.sub("[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+", lambda m: "^" + m.group(0).translate(SUPERSCRIPT), text)  # 10⁻⁴ -> 10^-4
    text = re.sub(r"\*\*([^*]+)\*\*", r"\1", text)
    text = re.sub(r"(?<![\w*])\*([^*]+)\*(?![\w*])", r"\1", text)
    out = []
    parts = re.split(r"(`[^`]*`)", text)
    for part in parts:
        code = part.startswith("`") and part.endswith("`") and len(part) >= 2
        if code:
            part = part[1:-1]
        part = part.replace("\\", "\\e").replace("-", "\\-")
        part = "".join(SPECIAL.get(c, c if ord(c) < 128 else f"\\[u{ord(c):04X}]") for c in part)
        out.append(f"\\fB{part}\\fR" if code else part)
    line = "".join(out)
    return "\\&" + line if line[:1] in (".", "'") else line


def section(md, heading_re):
    """The body of the first markdown section whose heading matches, up to the next heading of its level."""
    m = re.search(rf"^(#+) {heading_re}\s*$", md, re.M)
    if not m:
        raise SystemExit(f"mkman: no section /{heading_re}/")
    level = len(m.group(1))
    rest = md[m.end():]
    end = re.search(rf"^#{{1,{level}}} ", rest, re.M)
    return rest[:end.start()] if end else rest


def tables(body):
    """Every markdown table of a section: a list of (header cells, rows of cells)."""
    found, lines = [], body.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("|") and i + 1 < len(lines) and re.match(r"^\|[-| :]+\|$", lines[i + 1]):
            head = cells(lines[i])
            rows = []
            i += 2
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(cells(lines[i]))
                i += 1
            found.append((head, rows))
        else:
            i += 1
    return found


def cells(line):
    # "|" inside `code` stays (none of our tables have one); split on the column bars.
    return [c.strip() for c in line.strip().strip("|").split("|")]


def paragraphs(body):
    """The prose paragraphs of a section (not tables, code or lists)."""
    out = []
    for para in re.split(r"\n\s*\n", body):
        if para.lstrip("\n").startswith("    "):  # a code block
            continue
        para = para.strip()
        if not para or para.startswith(("|", "```", "#")):
            continue
        out.append(" ".join(l.strip() for l in para.splitlines()))
    return out


def tagged(rows, key_col=0, text_cols=None):
    """Rows as .TP items: the first cell as the tag, the rest as text."""
    out = []
    for row in rows:
        out.append(".TP")
        out.append(esc(row[key_col]))
        out.append(esc(" ".join(row[c] for c in text_cols) if text_cols else row[-1]) or "\\&")
    return out


def header(name, sec, title):
    return [f'.TH {name.upper()} {sec} "{DATE}" "meshplane {version}" "{title}"', ".SH NAME",
            f"{esc(name)} \\- " + {"meshplane": "the per-node 802.11s mesh forwarding plane (DPDK)",
                                   "meshctl": "show and watch a running meshplane node",
                                   "meshplane.json": "meshplane node configuration"}[name]]


def write(name, sec, lines):
    # A paragraph macro right after a heading, or a break before one, is noise to mandoc.
    lines = [l for i, l in enumerate(lines) if not (l in (".PP", ".br") and (
        (i > 0 and lines[i - 1].startswith(".SH")) or (i + 1 < len(lines) and lines[i + 1].startswith(".SH"))))]
    with open(f"{outdir}/{name}.{sec}", "w", encoding="ascii") as f:
        f.write("\n".join(lines) + "\n")


# meshplane(8): "Running a node" and "Telemetry" of README.md.
run = section(readme, "Running a node")
synopsis = re.search(r"^    (meshplane .*)$", run, re.M).group(1)
lines = header("meshplane", 8, "System Administration")
lines += [".SH SYNOPSIS", esc(synopsis), ".SH DESCRIPTION",
          "meshplane forwards IEEE 802.11s mesh data frames and bridged Ethernet between DPDK ports, "
          "runs HWMP path selection and Mesh Peering Management, follows hostapd, and shows it all "
          "through DPDK telemetry. One process serves one node, configured by one JSON file "
          "(\\fBmeshplane.json\\fR(5)).", ".SH OPTIONS"]
lines += tagged(tables(run)[0][1])
for p in paragraphs(run):
    lines += [".PP", esc(p)]
tel = section(readme, "Telemetry")
lines += [".SH TELEMETRY", esc(paragraphs(tel)[0] if paragraphs(tel) else "")]
lines += tagged(tables(tel)[0][1])
lines += [".SH FILES", ".TP", "\\fB/etc/meshplane/\\fINAME\\fB.json\\fR",
          "the configuration of the node that \\fBmeshplane@\\fINAME\\fB.service\\fR runs",
          ".TP", "\\fB/var/run/dpdk/\\fIfile_prefix\\fB/dpdk_telemetry.v2\\fR", "the telemetry socket",
          ".SH EXIT STATUS", "0 clean stop, 1 runtime failure (EAL, ports, a shutdown that did not finish in 10 s), 2 bad command line or configuration.",
          ".SH SEE ALSO", "\\fBmeshctl\\fR(8), \\fBmeshplane.json\\fR(5), \\fBdpdk\\-dumpcap\\fR(1), "
          "/usr/share/doc/meshplane/README.md"]
write("meshplane", 8, lines)

# meshctl(8): the "meshctl" section of README.md.
ctl = section(readme, "meshctl")
synopses = re.findall(r"^    (meshctl .*)$", ctl, re.M)
commands, options = tables(ctl)[0][1], tables(ctl)[1][1]
lines = header("meshctl", 8, "System Administration") + [".SH SYNOPSIS"]
for s in synopses:
    lines += [esc(s), ".br"]
lines += [".SH DESCRIPTION"] + [esc(paragraphs(ctl)[0])]
lines += [".SH COMMANDS"] + tagged(commands) + [".SH OPTIONS"] + tagged(options)
lines += [".SH EXIT STATUS", "0 ok, 1 node unreachable or command failed, 2 bad usage.",
          ".SH SEE ALSO", "\\fBmeshplane\\fR(8), \\fBmeshplane.json\\fR(5)"]
write("meshctl", 8, lines)

# meshplane.json(5): every key table of conf/README.md, section by section.
lines = header("meshplane.json", 5, "File Formats") + [".SH DESCRIPTION"]
intro = conf.split("\n## ", 1)[0]
for p in paragraphs(intro.split("\n", 1)[1]):
    lines += [".PP", esc(p)]
for item in re.findall(r"^- (.*(?:\n  .*)*)", intro, re.M):
    lines += [".IP \\(bu 2", esc(" ".join(l.strip() for l in item.splitlines()))]
for m in re.finditer(r"^## (`.*)$", conf, re.M):
    title = m.group(1)
    body = section(conf, re.escape(title))
    lines += [".SH " + esc(title).replace("\\fB", "").replace("\\fR", "").upper()]
    for head, rows in tables(body):
        cols = {h: i for i, h in enumerate(head)}
        for row in rows:
            facts = [f"{h} {row[cols[h]]}" for h in ("type", "range", "default") if h in cols and row[cols[h]]]
            lines += [".TP", esc(row[0]), esc("(" + "; ".join(facts) + ") " + row[cols["meaning"]]) if facts
                      else esc(row[cols["meaning"]])]
    for p in paragraphs(body):
        lines += [".PP", esc(p)]
errors = section(conf, "Error messages")
lines += [".SH ERRORS", esc(paragraphs(errors)[0])] + tagged(tables(errors)[0][1])
lines += [".SH SEE ALSO", "\\fBmeshplane\\fR(8), \\fBmeshctl\\fR(8)"]
write("meshplane.json", 5, lines)
