#!/usr/bin/env node
// bench-mqttjs.js: an MQTT.js subscriber (npm "mqtt", the library inside MQTTX
// and MQTT Explorer) counting in its 'message' handler. Same options and
// output as bench-paho.c; see there.
//
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

const path = require('node:path');
const { performance } = require('node:perf_hooks');

let mqtt;
try {
  mqtt = require(path.join(__dirname, '..', 'build-aux', 'node', 'node_modules', 'mqtt'));
} catch (e) {
  mqtt = require('mqtt');
}

const opts = {
  host: '127.0.0.1', port: 1883, qos: 0, count: 200000, id: null, persistent: false,
  setup: false, version: 4, filter: 'bench/t/#', size: -1, idleTimeout: 10,
};
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  const next = () => {
    if (i + 1 >= args.length) {
      console.error(`bench-mqttjs: ${a} needs a value`);
      process.exit(2);
    }
    return args[++i];
  };
  switch (a) {
    case '-H': case '--host': opts.host = next(); break;
    case '-p': case '--port': opts.port = Number(next()); break;
    case '-q': case '--qos': opts.qos = Number(next()); break;
    case '-n': case '--count': opts.count = Number(next()); break;
    case '-i': case '--id': opts.id = next(); break;
    case '-c': case '--persistent': opts.persistent = true; break;
    case '--setup': opts.setup = true; break;
    case '-V': case '--mqtt-version': opts.version = Number(next()); break;
    case '-t': case '--filter': opts.filter = next(); break;
    case '-s': case '--size': opts.size = Number(next()); break;
    case '-T': case '--idle-timeout': opts.idleTimeout = Number(next()); break;
    default:
      console.error(`bench-mqttjs: unknown option ${a}`);
      process.exit(2);
  }
}

// g_get_real_time() microseconds, comparable with the C programs.
const nowUs = () => Math.round((performance.timeOrigin + performance.now()) * 1000);

const c = {
  expected: opts.count, received: 0, unique: 0, dups: 0, bad: 0, bytes: 0,
  start_us: 0, connected_us: 0, ready_us: 0, first_us: 0, last_us: 0,
};
const seen = new Uint8Array(Math.max(opts.count, 1));

// Returns true for the message that completes the set.
function count(payload) {
  const now = nowUs();
  if (c.received === 0)
    c.first_us = now;
  c.last_us = now;
  c.received++;
  c.bytes += payload.length;
  if (payload.length < 10 || (opts.size >= 0 && payload.length !== opts.size)) {
    c.bad++;
    return false;
  }
  let seq = 0;
  for (let i = 0; i < 10; i++) {
    const d = payload[i] - 48;
    if (d < 0 || d > 9) {
      c.bad++;
      return false;
    }
    seq = seq * 10 + d;
  }
  if (seq >= c.expected) {
    c.bad++;
    return false;
  }
  if (seen[seq]) {
    c.dups++;
    return false;
  }
  seen[seq] = 1;
  c.unique++;
  return c.unique === c.expected;
}

function printResult() {
  const s = (a, b) => (a > b ? (a - b) / 1e6 : 0);
  const fromFirst = s(c.last_us, c.first_us);
  process.stdout.write(
    `RESULT client=mqttjs expected=${c.expected} received=${c.received} unique=${c.unique}` +
    ` dups=${c.dups} bad=${c.bad} bytes=${c.bytes} start_us=${c.start_us}` +
    ` connected_us=${c.connected_us} ready_us=${c.ready_us} first_us=${c.first_us}` +
    ` last_us=${c.last_us} first_to_last_s=${fromFirst.toFixed(6)}` +
    ` ready_to_last_s=${s(c.last_us, c.ready_us).toFixed(6)}` +
    ` start_to_last_s=${s(c.last_us, c.start_us).toFixed(6)}` +
    ` rate_from_first=${fromFirst > 0 ? Math.round((c.received - 1) / fromFirst) : 0}\n`);
}

let finished = false;
let idleTimer = null;

function finish(code) {
  if (finished)
    return;
  finished = true;
  if (idleTimer)
    clearInterval(idleTimer);
  if (!opts.setup)
    printResult();
  // Leave cleanly, so a persistent session stays as it is.
  client.end(false, {}, () => process.exit(code));
  setTimeout(() => process.exit(code), 3000).unref();
}

function ready() {
  c.ready_us = nowUs();
  process.stdout.write('READY\n');
  if (opts.setup) {
    finish(0);
    return;
  }
  let last = -1;
  let idleSince = Date.now();
  idleTimer = setInterval(() => {
    if (c.received !== last) {
      last = c.received;
      idleSince = Date.now();
    } else if (Date.now() - idleSince > opts.idleTimeout * 1000) {
      finish(c.unique === c.expected ? 0 : 1);
    }
  }, 200);
}

const connectOpts = {
  host: opts.host,
  port: opts.port,
  protocol: 'mqtt',
  protocolVersion: opts.version,
  clientId: opts.id || `bench-mqttjs-${process.pid}`,
  clean: !opts.persistent,
  keepalive: 60,
  reconnectPeriod: 0,
  connectTimeout: 30000,
};
if (opts.version === 5 && opts.persistent)
  connectOpts.properties = { sessionExpiryInterval: 3600 };

c.start_us = nowUs();
const client = mqtt.connect(connectOpts);

client.on('message', (topic, payload) => {
  if (count(payload))
    finish(0);
});
client.on('error', (err) => {
  if (finished)
    return;
  console.error(`bench-mqttjs: ${err.message}`);
  if (!c.ready_us)
    process.exit(2);
  finish(1);
});
client.on('close', () => {
  if (!finished && c.ready_us && !opts.setup) {
    console.error('bench-mqttjs: the connection closed');
    finish(1);
  }
});
client.once('connect', () => {
  c.connected_us = nowUs();
  if (opts.persistent && !opts.setup) {
    ready();
    return;
  }
  client.subscribe(opts.filter, { qos: opts.qos }, (err, granted) => {
    if (err || !granted || granted.some((g) => g.qos >= 0x80)) {
      console.error(`bench-mqttjs: could not subscribe to ${opts.filter}: ${err ? err.message : 'refused'}`);
      process.exit(2);
    }
    ready();
  });
});
