// ws-broker.js: an MQTT broker with WebSocket listeners for Antenna's tests.
//
// Debian's mosquitto has no WebSocket listener, so the tests that speak MQTT
// over ws:// and wss:// run this aedes broker under node. It is started by
// tests/antenna-test-broker.c with the modules of build-aux/node on NODE_PATH.
//
//   node ws-broker.js [--mqtt-port N] [--ws-port N] [--tls --wss-port N
//                     --cert FILE --key FILE] [--username U --password P]
//
// It listens on 127.0.0.1 only: plain MQTT over TCP (for mosquitto_pub and
// mosquitto_sub as peers), MQTT over WebSocket at /mqtt and, with --tls,
// MQTT over secure WebSocket at /mqtt. A port of 0 (the default) lets the
// system choose. Once every listener is up it prints one line of JSON with
// the ports, e.g. {"mqtt":40001,"ws":40002,"wss":40003}. It exits when its
// standard input closes, so it never outlives the test that started it.
//
// With --username/--password only that user may connect; it may do anything
// but publish on or subscribe to forbidden/#, like the mosquitto ACL.
//
// SPDX-License-Identifier: GPL-3.0-or-later

'use strict'

const fs = require('fs')
const net = require('net')
const http = require('http')
const https = require('https')
const { Duplex } = require('stream')
const { WebSocketServer } = require('ws')
const { createBroker } = require('aedes')

function parseArgs (argv) {
  const opts = { mqttPort: 0, wsPort: 0, wssPort: 0, tls: false }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const value = () => {
      if (i + 1 >= argv.length) {
        throw new Error(`${arg} needs a value`)
      }
      return argv[++i]
    }
    switch (arg) {
      case '--mqtt-port': opts.mqttPort = Number(value()); break
      case '--ws-port': opts.wsPort = Number(value()); break
      case '--wss-port': opts.wssPort = Number(value()); break
      case '--tls': opts.tls = true; break
      case '--cert': opts.cert = value(); break
      case '--key': opts.key = value(); break
      case '--username': opts.username = value(); break
      case '--password': opts.password = value(); break
      default: throw new Error(`unknown argument ${arg}`)
    }
  }
  if (opts.tls && (!opts.cert || !opts.key)) {
    throw new Error('--tls needs --cert and --key')
  }
  return opts
}

function isForbidden (topic) {
  return topic === 'forbidden' || topic.startsWith('forbidden/')
}

function listen (server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.removeListener('error', reject)
      resolve(server.address().port)
    })
  })
}

// A Duplex over one WebSocket. mqtt-packet corks the stream while it writes
// the pieces of a packet; _writev then sends them as one binary frame, as
// mosquitto and other brokers do, instead of a frame per piece.
function webSocketDuplex (socket) {
  const stream = new Duplex({
    read () {
      socket.resume()
    },
    write (chunk, encoding, callback) {
      socket.send(chunk, { binary: true }, callback)
    },
    writev (chunks, callback) {
      socket.send(Buffer.concat(chunks.map((c) => c.chunk)), { binary: true }, callback)
    },
    final (callback) {
      socket.close()
      callback()
    },
    destroy (error, callback) {
      socket.terminate()
      callback(error)
    }
  })
  socket.on('message', (data) => {
    if (!stream.push(data)) {
      socket.pause()
    }
  })
  socket.on('close', () => stream.push(null))
  socket.on('error', (error) => stream.destroy(error))
  return stream
}

function attachWebSocket (broker, server) {
  // The first subprotocol the client offers ("mqtt") is accepted.
  const wss = new WebSocketServer({ server, path: '/mqtt', perMessageDeflate: false })
  wss.on('connection', (socket, request) => {
    const stream = webSocketDuplex(socket)
    stream.on('error', () => stream.destroy())
    broker.handle(stream, request)
  })
  return wss
}

async function main () {
  const opts = parseArgs(process.argv.slice(2))
  const broker = createBroker({ concurrency: 1000, queueLimit: 1000000 })

  if (opts.username !== undefined) {
    broker.authenticate = (client, username, password, callback) => {
      const ok = username === opts.username &&
                 password !== undefined && password !== null &&
                 password.toString('utf8') === opts.password
      if (ok) {
        callback(null, true)
      } else {
        const error = new Error('bad user name or password')
        error.returnCode = 4
        callback(error, null)
      }
    }
    broker.authorizePublish = (client, packet, callback) => {
      callback(isForbidden(packet.topic) ? new Error('forbidden topic') : null)
    }
    broker.authorizeSubscribe = (client, sub, callback) => {
      // A null subscription is refused with return code 0x80.
      callback(null, isForbidden(sub.topic) ? null : sub)
    }
  }

  const ports = {}
  const tcpServer = net.createServer(broker.handle)
  ports.mqtt = await listen(tcpServer, opts.mqttPort)

  const httpServer = http.createServer((req, res) => {
    res.writeHead(404)
    res.end()
  })
  attachWebSocket(broker, httpServer)
  ports.ws = await listen(httpServer, opts.wsPort)

  if (opts.tls) {
    const httpsServer = https.createServer({
      cert: fs.readFileSync(opts.cert),
      key: fs.readFileSync(opts.key)
    }, (req, res) => {
      res.writeHead(404)
      res.end()
    })
    attachWebSocket(broker, httpsServer)
    ports.wss = await listen(httpsServer, opts.wssPort)
  }

  process.stdout.write(JSON.stringify(ports) + '\n')

  process.stdin.on('end', () => process.exit(0))
  process.stdin.on('error', () => process.exit(0))
  process.stdin.resume()
  process.on('SIGTERM', () => process.exit(0))
}

main().catch((error) => {
  process.stderr.write(`ws-broker: ${error.message}\n`)
  process.exit(1)
})
