import type { PriceList } from '../domain/pricing.js';
import { projectNameOf } from '../domain/project-name.js';
import type {
  LineRecords,
  ResponseCopy,
  SessionSeen as SessionLine,
  ToolOutcome,
  ToolResult,
} from '../sources/transcripts/records.js';
import { KeyRowids } from './key-rowids.js';
import { findEventOnlyMatch } from './match-trails.js';
import { BULK_INDEXES } from './migrations.js';
import type { Db } from './open-store.js';
import {
  applyTranscriptCopy,
  deriveFigures,
  emptyRow,
  RESPONSE_COLUMNS,
  type ResponseRow,
  responseKeyOf,
  TRANSCRIPT_COLUMNS,
} from './response-row.js';
import { BULK_TRIGGER_TABLES, REFILL_BULK_TOTALS } from './running-totals.js';

export interface FileState {
  path: string;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  offset: number;
  lines: number;
  head: Buffer | null;
}

type SessionSeen = SessionLine & { lastMs: number };

/** A tool use a bulk flush will insert, with its result when the same flush saw it. */
interface PendingToolUse {
  id: string;
  name: string;
  sessionId: string;
  timeMs: number;
  outcome: ToolOutcome | null;
  linesAdded: number;
  linesRemoved: number;
}
type StoredRow = ResponseRow & { id: number };

const MAX_KEPT_ERRORS = 1000;

/**
 * Writes what transcripts say, idempotently: every record is keyed by the id
 * Claude Code gave it, so re-reading a file (truncated, replaced, or simply
 * seen again) never counts anything twice.
 *
 * A first scan into an empty store runs in bulk mode: keys already written
 * are remembered here instead of looked up in indexes, and the indexes are
 * built once at the end (`finish`).
 */
export class TranscriptWriter {
  private readonly projectIds = new Map<string, number>();
  private readonly lineCounts = new Map<string, number>();
  private pendingCopies = new Map<string, ResponseCopy[]>();
  private pendingOther: LineRecords[] = [];
  /** Sessions folded in memory: one write per session per flush, not one per line. */
  private pendingSessions = new Map<string, SessionSeen>();
  /** Bulk mode only: rowids of what this scan wrote, by key. */
  private bulk: {
    responses: KeyRowids;
    messages: KeyRowids;
    /** A Map: tool results look their tool use up by id, one hit per result. */
    tools: Map<string, number>;
    /**
     * Tool uses first seen in this flush, inserted at its end: a result
     * usually follows its tool use within a line or two, so both are one
     * insert instead of an insert and an update.
     */
    pendingTools: Map<string, PendingToolUse>;
    /** The running-totals triggers turned off meanwhile, to create again. */
    triggers: string[];
  } | null = null;
  private readonly stmts;

  constructor(
    private readonly db: Db,
    private readonly prices: PriceList,
  ) {
    const sets = RESPONSE_COLUMNS.map((c) => `${c} = @${c}`).join(', ');
    const insertInto = (columns: readonly string[], suffix = '') =>
      db.prepare<unknown[]>(
        `INSERT INTO responses (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})${suffix}`,
      );
    this.stmts = {
      projectByPath: db.prepare<[string], { id: number }>('SELECT id FROM projects WHERE path = ?'),
      insertProject: db.prepare('INSERT INTO projects (path, name) VALUES (?, ?)'),
      responseByKey: db.prepare<[string], StoredRow>(
        'SELECT * FROM responses WHERE response_key = ?',
      ),
      responseById: db.prepare<[number], StoredRow>('SELECT * FROM responses WHERE id = ?'),
      insertTranscriptResponse: insertInto(TRANSCRIPT_COLUMNS),
      insertResponse: insertInto(RESPONSE_COLUMNS),
      updateResponse: db.prepare(`UPDATE responses SET ${sets} WHERE id = @id`),
      // Answered by the partial index responses_event_only, not a scan.
      countEventOnly: db.prepare<[], { n: number }>(
        'SELECT EXISTS (SELECT 1 FROM responses WHERE has_transcript = 0) AS n',
      ),
      isEmpty: db.prepare<[], { n: number }>(
        'SELECT (SELECT count(*) FROM responses) + (SELECT count(*) FROM messages) + (SELECT count(*) FROM tool_uses) AS n',
      ),
      upsertSession: db.prepare(
        `INSERT INTO sessions (id, project_id, first_ms, last_ms, version, git_branch, entrypoint)
         VALUES (@id, @project_id, @first_ms, @last_ms, @version, @git_branch, @entrypoint)
         ON CONFLICT(id) DO UPDATE SET
           project_id = coalesce(sessions.project_id, excluded.project_id),
           first_ms = CASE WHEN sessions.first_ms = 0 THEN excluded.first_ms ELSE min(sessions.first_ms, excluded.first_ms) END,
           last_ms = max(sessions.last_ms, excluded.last_ms),
           version = CASE WHEN excluded.last_ms >= sessions.last_ms THEN coalesce(excluded.version, sessions.version) ELSE sessions.version END,
           git_branch = CASE WHEN excluded.last_ms >= sessions.last_ms THEN coalesce(excluded.git_branch, sessions.git_branch) ELSE sessions.git_branch END,
           entrypoint = coalesce(sessions.entrypoint, excluded.entrypoint)`,
      ),
      sessionCost: db.prepare(
        `INSERT INTO sessions (id, first_ms, last_ms, reported_cost_nanos) VALUES (?, 0, 0, ?)
         ON CONFLICT(id) DO UPDATE SET reported_cost_nanos = excluded.reported_cost_nanos`,
      ),
      insertMessage: db.prepare(
        'INSERT INTO messages (key, role, session_id, ts) VALUES (?, ?, ?, ?)',
      ),
      messageKeyById: db.prepare<[number], string>('SELECT key FROM messages WHERE id = ?').pluck(),
      insertMessageOnce: db.prepare(
        'INSERT INTO messages (key, role, session_id, ts) VALUES (?, ?, ?, ?) ON CONFLICT(key) DO NOTHING',
      ),
      insertTool: db.prepare(
        `INSERT INTO tool_uses (id, name, session_id, ts, outcome, lines_added, lines_removed)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      toolUseByRowid: db.prepare('UPDATE tool_uses SET name = ?, ts = min(ts, ?) WHERE rowid_ = ?'),
      toolResultByRowid: db.prepare(
        'UPDATE tool_uses SET outcome = ?, lines_added = ?, lines_removed = ? WHERE rowid_ = ?',
      ),
      upsertToolUse: db.prepare(
        `INSERT INTO tool_uses (id, name, session_id, ts) VALUES (?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, ts = min(tool_uses.ts, excluded.ts)`,
      ),
      upsertToolResult: db.prepare(
        `INSERT INTO tool_uses (id, name, session_id, ts, outcome, lines_added, lines_removed)
         VALUES (?, 'unknown', ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET outcome = excluded.outcome,
           lines_added = excluded.lines_added, lines_removed = excluded.lines_removed`,
      ),
      insertCompaction: db.prepare(
        'INSERT OR IGNORE INTO compactions (key, session_id, ts) VALUES (?, ?, ?)',
      ),
      addLineCount: db.prepare(
        `INSERT INTO line_counts (kind, count) VALUES (?, ?)
         ON CONFLICT(kind) DO UPDATE SET count = count + excluded.count`,
      ),
      insertError: db.prepare(
        'INSERT INTO ingest_errors (ts, source, location, message) VALUES (?, ?, ?, ?)',
      ),
      trimErrors: db.prepare(
        `DELETE FROM ingest_errors WHERE id <= (SELECT max(id) FROM ingest_errors) - ${MAX_KEPT_ERRORS}`,
      ),
      upsertFile: db.prepare(
        `INSERT INTO files (path, dev, ino, size, mtime_ms, offset, lines, head, missing)
         VALUES (@path, @dev, @ino, @size, @mtimeMs, @offset, @lines, @head, 0)
         ON CONFLICT(path) DO UPDATE SET dev = excluded.dev, ino = excluded.ino, size = excluded.size,
           mtime_ms = excluded.mtime_ms, offset = excluded.offset, lines = excluded.lines,
           head = excluded.head, missing = 0`,
      ),
    };
  }

  /**
   * Enters bulk mode if the store holds no transcript data yet. Must run
   * inside the transaction that will also call `finish`, so a crash midway
   * leaves the store as it was, indexes included.
   */
  beginBulkIfEmpty(): boolean {
    if ((this.stmts.isEmpty.get()?.n ?? 0) > 0) return false;
    for (const index of BULK_INDEXES) this.db.exec(`DROP INDEX IF EXISTS ${index.name}`);
    const triggers = this.db
      .prepare<string[], { name: string; sql: string }>(
        `SELECT name, sql FROM sqlite_master WHERE type = 'trigger'
         AND tbl_name IN (${BULK_TRIGGER_TABLES.map(() => '?').join(', ')})`,
      )
      .all(...BULK_TRIGGER_TABLES);
    for (const t of triggers) this.db.exec(`DROP TRIGGER ${t.name}`);
    this.bulk = {
      responses: new KeyRowids(),
      messages: new KeyRowids(),
      tools: new Map(),
      pendingTools: new Map(),
      triggers: triggers.map((t) => t.sql),
    };
    return true;
  }

  /** Ends bulk mode: builds the indexes and running totals `beginBulkIfEmpty` set aside. */
  finish(): void {
    if (!this.bulk) return;
    for (const index of BULK_INDEXES) this.db.exec(index.sql);
    for (const sql of REFILL_BULK_TOTALS) this.db.exec(sql);
    for (const sql of this.bulk.triggers) this.db.exec(sql);
    this.bulk = null;
  }

  /** Queues one line's records; they reach the store on `flush`. */
  add(records: LineRecords): void {
    const copy = records.response;
    if (copy) {
      const key = responseKeyOf(copy);
      if (key !== null) {
        const copies = this.pendingCopies.get(key);
        if (copies) copies.push(copy);
        else this.pendingCopies.set(key, [copy]);
      }
    }
    const session = records.session;
    if (session) this.noteSession(session);
    if (
      records.message ||
      records.toolResults ||
      records.compaction ||
      records.costState ||
      copy?.toolUses.length
    )
      this.pendingOther.push(records);
  }

  private noteSession(session: SessionLine): void {
    const known = this.pendingSessions.get(session.sessionId);
    if (!known) {
      this.pendingSessions.set(session.sessionId, { ...session, lastMs: session.timeMs });
      return;
    }
    if (session.timeMs < known.timeMs) known.timeMs = session.timeMs;
    if (session.timeMs >= known.lastMs) {
      known.lastMs = session.timeMs;
      known.version = session.version ?? known.version;
      known.gitBranch = session.gitBranch ?? known.gitBranch;
    }
  }

  get pendingResponses(): number {
    return this.pendingCopies.size;
  }

  countLine(kind: string, n = 1): void {
    this.lineCounts.set(kind, (this.lineCounts.get(kind) ?? 0) + n);
  }

  error(source: string, location: string, message: string): void {
    this.stmts.insertError.run(Date.now(), source, location, message);
  }

  saveFile(state: FileState): void {
    this.stmts.upsertFile.run(state);
  }

  /**
   * Writes everything queued. Call inside a transaction together with
   * `saveFile`. Returns how many responses no transcript had given before.
   */
  flush(): number {
    const mayMatchEvent = !this.bulk && (this.stmts.countEventOnly.get()?.n ?? 0) > 0;
    let added = 0;
    for (const [key, copies] of this.pendingCopies) {
      if (this.writeResponse(key, copies, mayMatchEvent)) added++;
    }
    for (const session of this.pendingSessions.values()) this.writeSession(session);
    for (const records of this.pendingOther) this.writeOther(records);
    this.insertPendingTools();
    for (const [kind, n] of this.lineCounts) this.stmts.addLineCount.run(kind, n);
    this.stmts.trimErrors.run();
    this.pendingCopies = new Map();
    this.pendingOther = [];
    this.pendingSessions = new Map();
    this.lineCounts.clear();
    return added;
  }

  private projectId(cwd: string): number {
    let id = this.projectIds.get(cwd);
    if (id !== undefined) return id;
    id = this.stmts.projectByPath.get(cwd)?.id;
    if (id === undefined) {
      id = Number(this.stmts.insertProject.run(cwd, projectNameOf(cwd)).lastInsertRowid);
    }
    this.projectIds.set(cwd, id);
    return id;
  }

  private existingResponse(key: string): StoredRow | undefined {
    if (!this.bulk) return this.stmts.responseByKey.get(key);
    let row: StoredRow | undefined;
    const found = this.bulk.responses.find(key, (id) => {
      row = this.stmts.responseById.get(id);
      return row?.response_key === key;
    });
    return found === undefined ? undefined : row;
  }

  /** Whether the response is new to the transcripts' side of the store. */
  private writeResponse(key: string, copies: ResponseCopy[], mayMatchEvent: boolean): boolean {
    const first = copies[0];
    if (!first) return false;
    let existing = this.existingResponse(key);
    if (!existing && mayMatchEvent) {
      existing = findEventOnlyMatch(this.db, {
        requestId: first.requestId,
        sessionId: first.sessionId,
        model: first.model,
        timeMs: first.timeMs,
        tokens: first.tokens,
      });
    }
    const row: ResponseRow = existing ?? emptyRow(key, first.model, first.timeMs);
    row.response_key = key;
    for (const copy of copies) applyTranscriptCopy(row, copy, this.projectId(copy.cwd));
    deriveFigures(row, this.prices);
    if (existing) {
      const fromTranscriptBefore = existing.has_transcript === 1;
      this.stmts.updateResponse.run({ ...row, id: existing.id });
      return !fromTranscriptBefore;
    }
    // A new response from a transcript: only the transcript's columns.
    const id = Number(
      this.stmts.insertTranscriptResponse.run(TRANSCRIPT_COLUMNS.map((c) => row[c]))
        .lastInsertRowid,
    );
    this.bulk?.responses.add(key, id);
    return true;
  }

  private writeSession(session: SessionSeen): void {
    this.stmts.upsertSession.run({
      id: session.sessionId,
      project_id: this.projectId(session.cwd),
      first_ms: session.timeMs,
      last_ms: session.lastMs,
      version: session.version,
      git_branch: session.gitBranch,
      entrypoint: session.entrypoint,
    });
  }

  private writeOther(records: LineRecords): void {
    const { message, toolResults, compaction, costState, response } = records;
    if (message) {
      if (!this.bulk) {
        this.stmts.insertMessageOnce.run(
          message.key,
          message.role,
          message.sessionId,
          message.timeMs,
        );
      } else {
        const { messages } = this.bulk;
        const isKeyOf = (id: number) => this.stmts.messageKeyById.get(id) === message.key;
        if (messages.find(message.key, isKeyOf) === undefined) {
          const info = this.stmts.insertMessage.run(
            message.key,
            message.role,
            message.sessionId,
            message.timeMs,
          );
          messages.add(message.key, Number(info.lastInsertRowid));
        }
      }
    }
    if (response) {
      for (const tool of response.toolUses) this.writeToolUse(tool, response);
    }
    if (toolResults) for (const r of toolResults) this.writeToolResult(r);
    if (compaction)
      this.stmts.insertCompaction.run(compaction.key, compaction.sessionId, compaction.timeMs);
    if (costState) this.stmts.sessionCost.run(costState.sessionId, costState.costNanos);
  }

  private writeToolUse(tool: { id: string; name: string }, response: ResponseCopy): void {
    if (!this.bulk) {
      this.stmts.upsertToolUse.run(tool.id, tool.name, response.sessionId, response.timeMs);
      return;
    }
    const rowid = this.bulk.tools.get(tool.id);
    if (rowid !== undefined) {
      this.stmts.toolUseByRowid.run(tool.name, response.timeMs, rowid);
      return;
    }
    const pending = this.bulk.pendingTools.get(tool.id);
    if (pending) {
      pending.name = tool.name;
      pending.timeMs = Math.min(pending.timeMs, response.timeMs);
      return;
    }
    this.bulk.pendingTools.set(tool.id, {
      id: tool.id,
      name: tool.name,
      sessionId: response.sessionId,
      timeMs: response.timeMs,
      outcome: null,
      linesAdded: 0,
      linesRemoved: 0,
    });
  }

  private writeToolResult(r: ToolResult): void {
    if (!this.bulk) {
      this.stmts.upsertToolResult.run(
        r.toolUseId,
        r.sessionId,
        r.timeMs,
        r.outcome,
        r.linesAdded,
        r.linesRemoved,
      );
      return;
    }
    const rowid = this.bulk.tools.get(r.toolUseId);
    if (rowid !== undefined) {
      this.stmts.toolResultByRowid.run(r.outcome, r.linesAdded, r.linesRemoved, rowid);
      return;
    }
    const pending = this.bulk.pendingTools.get(r.toolUseId);
    if (pending) {
      pending.outcome = r.outcome;
      pending.linesAdded = r.linesAdded;
      pending.linesRemoved = r.linesRemoved;
      return;
    }
    // A result whose tool use was not seen (yet): named 'unknown' until it is.
    this.bulk.pendingTools.set(r.toolUseId, {
      id: r.toolUseId,
      name: 'unknown',
      sessionId: r.sessionId,
      timeMs: r.timeMs,
      outcome: r.outcome,
      linesAdded: r.linesAdded,
      linesRemoved: r.linesRemoved,
    });
  }

  /** Bulk mode: the flush's new tool uses, with the results it saw for them. */
  private insertPendingTools(): void {
    const bulk = this.bulk;
    if (!bulk) return;
    for (const t of bulk.pendingTools.values()) {
      const info = this.stmts.insertTool.run(
        t.id,
        t.name,
        t.sessionId,
        t.timeMs,
        t.outcome,
        t.linesAdded,
        t.linesRemoved,
      );
      bulk.tools.set(t.id, Number(info.lastInsertRowid));
    }
    bulk.pendingTools.clear();
  }
}
