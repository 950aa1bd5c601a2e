#!/usr/bin/env python3
"""resx.py FILE KEY=VALUE... or resx.py FILE < tsv (key<TAB>value lines): adds/replaces entries in a .resx, creating it."""
import sys, os
import xml.etree.ElementTree as ET
HEAD = '''<?xml version="1.0" encoding="utf-8"?>
<root>
  <resheader name="resmimetype"><value>text/microsoft-resx</value></resheader>
  <resheader name="version"><value>2.0</value></resheader>
  <resheader name="reader"><value>System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
  <resheader name="writer"><value>System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
'''
def esc(t):
    return t.replace('&','&amp;').replace('<','&lt;').replace('>','&gt;').replace('"','&quot;')
def main():
    path = sys.argv[1]
    pairs = []
    if len(sys.argv) > 2:
        for a in sys.argv[2:]:
            k, v = a.split('=', 1); pairs.append((k, v))
    else:
        for line in sys.stdin.read().splitlines():
            if not line.strip(): continue
            k, v = line.split('\t', 1); pairs.append((k, v))
    entries = {}
    order = []
    if os.path.exists(path):
        root = ET.parse(path).getroot()
        for d in root.findall('data'):
            entries[d.get('name')] = d.find('value').text or ''
            order.append(d.get('name'))
    for k, v in pairs:
        if k not in entries: order.append(k)
        entries[k] = v
    os.makedirs(os.path.dirname(path) or '.', exist_ok=True)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(HEAD)
        for k in order:
            f.write(f'  <data name="{esc(k)}" xml:space="preserve"><value>{esc(entries[k])}</value></data>\n')
        f.write('</root>\n')
main()
