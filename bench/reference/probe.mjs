// Readiness probe for the reference sync server (used by start.sh).
// Usage: node probe.mjs <port> <deadline_ms>
// Repeatedly opens ws://127.0.0.1:<port>/, sends a CBOR `join` and waits for
// the server's `peer` reply. Exits 0 (printing the server peerId on stderr)
// once a handshake succeeds, 1 when the deadline passes.
import WebSocket from "ws"
import { Encoder, decode } from "cbor-x"

const port = Number(process.argv[2])
const deadline = Date.now() + Number(process.argv[3] ?? 30000)
const enc = new Encoder({ tagUint8Array: false, useRecords: false })
const sleep = ms => new Promise(r => setTimeout(r, ms))

function attempt() {
  return new Promise(resolve => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`)
    ws.binaryType = "nodebuffer"
    const done = v => { clearTimeout(t); ws.removeAllListeners(); ws.on("error", () => {}); ws.terminate(); resolve(v) }
    // The WS adapter only attaches its "connection" listener after the repo has
    // resolved its storageId, so an early socket can be silently ignored:
    // give each attempt a short timeout and retry.
    const t = setTimeout(() => done(null), 1000)
    ws.on("open", () => ws.send(enc.encode({
      type: "join",
      senderId: `ready-probe-${process.pid}`,
      peerMetadata: { isEphemeral: true },
      supportedProtocolVersions: ["1"],
    })))
    ws.on("message", data => {
      const m = decode(data)
      done(m && m.type === "peer" ? m.senderId : null)
    })
    ws.on("error", () => done(null))
  })
}

while (Date.now() < deadline) {
  const peer = await attempt()
  if (peer) { process.stderr.write(`reference server peerId: ${peer}\n`); process.exit(0) }
  await sleep(50)
}
process.exit(1)
