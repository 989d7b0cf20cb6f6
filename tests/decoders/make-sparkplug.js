// Sparkplug B payloads from an encoder Antenna did not write and whose
// schema is not ours: the npm package sparkplug-payload (Eclipse Tahu's),
// installed in build-aux/node. Run at test time by tests/test-decoders.c.
//   node make-sparkplug.js OUTDIR
// Writes OUTDIR/<name>.bin, one file per message of an edge node's life:
// NBIRTH, NDATA by alias, NDATA with a seq gap, DBIRTH, DDATA, an NDEATH
// whose bdSeq is not the birth's, NCMD.
//
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

const fs = require('fs');
const path = require('path');
const sparkplug = require('sparkplug-payload').get('spBv1.0');

const outdir = process.argv[2];
const t = 1700000000000;

const messages = {
  nbirth: {
    timestamp: t, seq: 0,
    metrics: [
      { name: 'bdSeq', type: 'Int64', value: 7, timestamp: t },
      { name: 'Temperature', alias: 1, type: 'Float', value: 21.5, timestamp: t,
        properties: { engUnit: { type: 'String', value: 'degC' } } },
      { name: 'Count', alias: 2, type: 'Int32', value: 12, timestamp: t },
      { name: 'Running', alias: 3, type: 'Boolean', value: true, timestamp: t },
      { name: 'Label', alias: 4, type: 'String', value: 'line 1', timestamp: t },
      { name: 'Started', alias: 5, type: 'DateTime', value: 1699999999000, timestamp: t },
      { name: 'Level', alias: 6, type: 'Double', value: 0.125, timestamp: t },
      { name: 'Table', alias: 7, type: 'DataSet', timestamp: t,
        value: { numOfColumns: 2, types: ['Int32', 'String'], columns: ['id', 'label'],
                 rows: [[1, 'one'], [2, 'two']] } },
    ],
  },
  ndata1: {
    timestamp: t + 1000, seq: 1,
    metrics: [
      { alias: 1, type: 'Float', value: 22.25, timestamp: t + 1000 },
      { alias: 2, type: 'Int32', value: 13, timestamp: t + 1000 },
    ],
  },
  ndata3: {
    timestamp: t + 3000, seq: 3,
    metrics: [{ alias: 6, type: 'Double', value: 0.5, timestamp: t + 3000 }],
  },
  dbirth: {
    timestamp: t + 4000, seq: 4,
    metrics: [{ name: 'Pressure', alias: 100, type: 'UInt16', value: 1013, timestamp: t + 4000 }],
  },
  ddata: {
    timestamp: t + 5000, seq: 5,
    metrics: [{ alias: 100, type: 'UInt16', value: 1020, timestamp: t + 5000 }],
  },
  ndeath: {
    timestamp: t + 6000,
    metrics: [{ name: 'bdSeq', type: 'Int64', value: 6, timestamp: t + 6000 }],
  },
  ncmd: {
    timestamp: t + 7000,
    metrics: [{ name: 'Node Control/Rebirth', type: 'Boolean', value: true, timestamp: t + 7000 }],
  },
};

for (const [name, payload] of Object.entries(messages)) {
  fs.writeFileSync(path.join(outdir, 'spnode-' + name + '.bin'), Buffer.from(sparkplug.encodePayload(payload)));
}
