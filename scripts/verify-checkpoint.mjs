#!/usr/bin/env node
// Verify Balai's signed checkpoints without Balai: Node.js 20 or later, its built-in modules only.
// The algorithm is in docs/CHECKPOINTS.md.
//
//   node scripts/verify-checkpoint.mjs CHECKPOINTS.json [--key PUBLIC_KEY_BASE64] [--log LOG.json]...
//
// CHECKPOINTS.json: what GET /api/v1/checkpoints served (a page, an array, or one checkpoint).
// --key: the public key you trust (from /.well-known/balai-checkpoint-key.json, kept earlier);
//        without it each checkpoint is checked against the key it names.
// --log: pages of GET /api/v1/elections/{id}/log; the log is verified and every checkpoint of
//        that election must still be a prefix of it (a rewritten history fails).
// Exit status: 0 all good, 1 a check failed (named on stderr), 2 bad usage or unreadable input.

import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';

const ZEROS = '0'.repeat(64);
const sha256hex = (s) => createHash('sha256').update(s, 'utf8').digest('hex');

function fail(msg) {
  console.error(`CHECKPOINT CHECK FAILED: ${msg}`);
  process.exit(1);
}

function usage(msg) {
  console.error(`${msg}\nusage: verify-checkpoint.mjs CHECKPOINTS.json [--key BASE64] [--log LOG.json]...`);
  process.exit(2);
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    usage(`cannot read ${path}: ${e.message}`);
  }
}

const args = process.argv.slice(2);
let file = null;
let trusted = null;
const logs = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--key') trusted = args[++i];
  else if (args[i] === '--log') logs.push(args[++i]);
  else if (file === null) file = args[i];
  else usage(`unexpected argument ${args[i]}`);
}
if (!file || trusted === undefined || logs.includes(undefined)) usage('missing argument');

const doc = readJson(file);
const checkpoints = Array.isArray(doc) ? doc : Array.isArray(doc.checkpoints) ? doc.checkpoints : [doc];
if (checkpoints.length === 0) fail(`${file} holds no checkpoint`);

function statementOf(c) {
  return `balai-checkpoint/v1\nchain=${c.chain}\nnumber=${c.number}\nseq=${c.seq}\nhead=${c.head_hash}\n`
    + `time=${c.made_at}\nkey=${c.key_id}\nprev=${c.prev}\n`;
}

// 1. Each checkpoint: the statement its fields make, its digest, its key id, its signature.
for (const c of checkpoints) {
  const name = `${c.chain} #${c.number}`;
  if (c.statement !== statementOf(c)) fail(`${name}: the statement does not match the fields`);
  if (c.digest !== sha256hex(c.statement)) fail(`${name}: the digest is not sha256(statement)`);
  const raw = Buffer.from(c.public_key, 'base64');
  if (raw.length !== 32) fail(`${name}: the public key is not 32 bytes`);
  if (createHash('sha256').update(raw).digest('hex').slice(0, 16) !== c.key_id) {
    fail(`${name}: key id ${c.key_id} does not name its public key`);
  }
  if (trusted !== null && c.public_key !== trusted) fail(`${name}: signed by key ${c.key_id}, not by the key given`);
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
  if (!verify(null, Buffer.from(c.statement, 'utf8'), key, Buffer.from(c.signature, 'base64'))) {
    fail(`${name}: the signature does not verify`);
  }
}

// 2. Consecutive checkpoints of a chain link: prev = digest of the one before (zeros for #1).
const byChain = new Map();
for (const c of checkpoints) byChain.set(c.chain, [...(byChain.get(c.chain) ?? []), c]);
for (const [chain, list] of byChain) {
  list.sort((a, b) => a.number - b.number);
  if (list[0].number === 1 && list[0].prev !== ZEROS) fail(`${chain} #1 names a previous checkpoint`);
  for (let i = 1; i < list.length; i++) {
    const [a, b] = [list[i - 1], list[i]];
    if (b.number === a.number + 1 && b.prev !== a.digest) fail(`${chain} #${b.number} does not link to #${a.number}`);
    if (b.seq < a.seq) fail(`${chain} #${b.number} signs a shorter chain than #${a.number}`);
  }
}

// 3. Publication logs: the chain itself, then each checkpoint of it is still a prefix.
const entries = new Map();
let electionId = null;
for (const path of logs) {
  const page = readJson(path);
  if (electionId !== null && page.election_id !== electionId) usage(`${path} is another election's log`);
  electionId = page.election_id;
  for (const e of page.entries ?? []) entries.set(e.seq, e);
}
if (logs.length > 0) {
  let prev = ZEROS;
  for (let seq = 1; seq <= entries.size; seq++) {
    const e = entries.get(seq);
    if (!e) fail(`log entry ${seq} is missing`);
    if (e.prev_hash !== prev) fail(`log entry ${seq} does not link to entry ${seq - 1}`);
    if (sha256hex(`${e.prev_hash}\n${e.seq}\n${e.payload}`) !== e.hash) fail(`log entry ${seq} does not match its hash`);
    prev = e.hash;
  }
  const mine = byChain.get(`election:${electionId}`) ?? [];
  if (mine.length === 0) fail(`no checkpoint of election ${electionId} to check the log against`);
  for (const c of mine) {
    const e = entries.get(c.seq);
    if (!e) fail(`checkpoint #${c.number} signed entry ${c.seq}, which the log no longer has (or the pages given end before it)`);
    if (e.hash !== c.head_hash) {
      fail(`checkpoint #${c.number} of ${c.made_at} is no longer a prefix of the log: entry ${c.seq} now hashes to ${e.hash}, signed ${c.head_hash}`);
    }
  }
}

const keys = [...new Set(checkpoints.map((c) => c.key_id))].join(', ');
console.log(`${checkpoints.length} checkpoint(s) verified, signed by key ${keys}`
  + (logs.length > 0 ? `; the log of election ${electionId} (${entries.size} entries) extends each` : ''));
