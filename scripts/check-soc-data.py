#!/usr/bin/env python3
"""Checks a SoC data file (boards/socs/<soc>.toml) against the vendor's own description of the part,
offline: an SVD file (block bases, register offsets, reset values) or a CMSIS device header
(register offsets from the `Address offset: 0x..` comments of its *_TypeDef structs). The vendor
files are the user's (ST's CMSIS packs, STMicroelectronics/cmsis_device_*); they are never part
of this tree. docs/peripherals.md says what was checked with it and what differed.

Usage:
  scripts/check-soc-data.py SOC.toml --svd FILE.svd
  scripts/check-soc-data.py SOC.toml --header stm32xxxx.h

Prints one line per difference (register names are matched by name, then by offset for the SVD's
variant names such as CR1_FIFO_ENABLED). Exit status: 0 when nothing differs, 1 when something
does, 2 on bad usage or an unreadable file.
"""
import argparse
import re
import sys
import tomllib
import xml.etree.ElementTree as ET


def number(text):
    text = text.strip().replace('#', '0x')
    try:
        return int(text, 0)
    except ValueError:
        return int(text, 10)  # some SVDs write offsets with leading zeros


def load_svd(path):
    """{PERIPHERAL: (base, {REGISTER: (offset, reset)})}, with derivedFrom resolved."""
    root = ET.parse(path).getroot()
    device_reset = root.findtext('resetValue') or '0'
    raw = {p.findtext('name'): p for p in root.find('peripherals')}

    def registers(p):
        if p.find('registers') is None and p.get('derivedFrom'):
            return registers(raw[p.get('derivedFrom')])
        default = p.findtext('resetValue') or device_reset
        return {r.findtext('name').upper(): (number(r.findtext('addressOffset')),
                                             number(r.findtext('resetValue') or default))
                for r in p.find('registers').iter('register')}

    return {n.upper(): (number(p.findtext('baseAddress')), registers(p)) for n, p in raw.items()}


def load_header(path):
    """{TYPE: {MEMBER: offset}} from the structs' `Address offset` comments."""
    text = open(path, encoding='utf-8', errors='replace').read()
    types = {}
    for m in re.finditer(r'typedef struct\s*\{(.*?)\}\s*(\w+)_TypeDef;', text, re.S):
        members = {}
        for mm in re.finditer(r'__(?:IO|I|O|IM|OM)\s+uint(?:32|16)_t\s+(\w+)\s*;[^\n]*?(0x[0-9A-Fa-f]+)\s*\*/',
                              m.group(1)):
            members.setdefault(mm.group(1).upper(), int(mm.group(2), 16))
        types[m.group(2).upper()] = members
    return types


def blocks(soc):
    """(peripheral table, its registers with `like` resolved), in file order."""
    seen = {}
    for p in soc['peripheral']:
        regs = list(p.get('registers', []))
        if 'like' in p:
            regs = seen[p['like']] + regs
        seen[p['name']] = regs
        yield p, regs


def check_svd(soc, svd):
    out = []
    for p, regs in blocks(soc):
        name = p['name'].upper()
        if name not in svd:
            out.append(f"{p['name']}: no peripheral {name} in the SVD")
            continue
        base, sregs = svd[name]
        if base != p['base']:
            out.append(f"{p['name']}: base {p['base']:#010x}, SVD {base:#010x}")
        for r in regs:
            reset = r.get('reset', 0)
            hit = next((c for c in (r['name'].upper(), f"{name}_{r['name'].upper()}") if c in sregs), None)
            if hit is None:
                variants = [k for k, v in sregs.items() if v[0] == r['offset']]
                if not variants:
                    out.append(f"{p['name']}.{r['name']}: nothing at offset {r['offset']:#x} in the SVD")
                elif reset not in {sregs[k][1] for k in variants}:
                    out.append(f"{p['name']}.{r['name']}: reset {reset:#010x}, SVD {variants[0]} "
                               f"{sregs[variants[0]][1]:#010x}")
                continue
            offset, svd_reset = sregs[hit]
            if offset != r['offset']:
                out.append(f"{p['name']}.{r['name']}: offset {r['offset']:#x}, SVD {offset:#x}")
            if svd_reset != reset:
                out.append(f"{p['name']}.{r['name']}: reset {reset:#010x}, SVD {svd_reset:#010x}")
    return out


def type_of(name):
    for prefix, t in (('lpuart', 'USART'), ('usart', 'USART'), ('uart', 'USART'), ('tim', 'TIM'),
                      ('gpio', 'GPIO')):
        if name.startswith(prefix):
            return t
    return name.upper()


def check_header(soc, types):
    out = []
    for p, regs in blocks(soc):
        t = type_of(p['name'])
        if t not in types:
            out.append(f"{p['name']}: no {t}_TypeDef in the header")
            continue
        for r in regs:
            member = r['name'].upper()
            if member not in types[t]:
                continue  # array members (AFR[2], EXTICR[4]) and bank names (KEYR1) are not matched
            if types[t][member] != r['offset']:
                out.append(f"{p['name']}.{r['name']}: offset {r['offset']:#x}, header {types[t][member]:#x}")
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('soc', help='boards/socs/<soc>.toml')
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument('--svd', help="the vendor's SVD file of the part")
    src.add_argument('--header', help="the vendor's CMSIS device header of the part")
    args = ap.parse_args()
    try:
        with open(args.soc, 'rb') as f:
            soc = tomllib.load(f)
        diffs = check_svd(soc, load_svd(args.svd)) if args.svd else check_header(soc, load_header(args.header))
    except (OSError, ET.ParseError, tomllib.TOMLDecodeError, KeyError, AttributeError) as e:
        print(f"check-soc-data: {e}", file=sys.stderr)
        return 2
    for line in diffs:
        print(line)
    return 1 if diffs else 0


if __name__ == '__main__':
    sys.exit(main())
