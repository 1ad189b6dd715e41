/**
 * The findings currently shown, per lint target (a file or a notebook), placed on the
 * documents they point into. One target's findings may land on several documents (a
 * Python file's learning-rate finding points into its config JSON; a notebook's land on
 * its cells), and one document may receive findings from several targets: the diagnostics
 * of a document are the union of every target's contribution.
 */
import * as vscode from 'vscode';
import type { Finding } from '../core/findings';
import type { FileAnalysis } from '../core/ir';
import type { PathFrame } from './logic/paths';

export interface PlacedFinding {
  uri: vscode.Uri;
  range: vscode.Range;
  finding: Finding;
  diagnostic: vscode.Diagnostic;
}

/** A diagnostic that is no finding: a line that trains something the analysis did not follow. */
export interface PlacedNote {
  uri: vscode.Uri;
  diagnostic: vscode.Diagnostic;
}

export interface TargetResult {
  /** The document or notebook URI that was linted. */
  target: vscode.Uri;
  analysis: FileAnalysis;
  findings: Finding[];
  placed: PlacedFinding[];
  /** Lines that train what the analysis did not follow (shown beside the findings). */
  notes?: PlacedNote[];
  /** For notebooks: cell document URI (string) to cell index. */
  cells?: Map<string, number>;
  /** How the core's (workspace-relative) paths map back to files. */
  frame: PathFrame;
}

export class FindingStore implements vscode.Disposable {
  private readonly results = new Map<string, TargetResult>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly collection: vscode.DiagnosticCollection) {}

  set(key: string, result: TargetResult): void {
    const affected = this.urisOf(key);
    this.results.set(key, result);
    for (const p of [...result.placed, ...(result.notes ?? [])]) affected.set(p.uri.toString(), p.uri);
    this.republish(affected);
  }

  clear(key: string): void {
    const affected = this.urisOf(key);
    if (!this.results.delete(key)) return;
    this.republish(affected);
  }

  clearAll(): void {
    this.results.clear();
    this.collection.clear();
    this.changed.fire();
  }

  get(key: string): TargetResult | undefined {
    return this.results.get(key);
  }

  /** Every finding placed on this document, from whichever target, without duplicates. */
  placedOn(uri: vscode.Uri): PlacedFinding[] {
    const id = uri.toString();
    const seen = new Set<string>();
    const out: PlacedFinding[] = [];
    for (const result of this.results.values()) {
      for (const p of result.placed) {
        if (p.uri.toString() !== id) continue;
        const k = `${p.finding.rule}|${p.range.start.line}:${p.range.start.character}-${p.range.end.line}:${p.range.end.character}|${p.finding.message}`;
        if (seen.has(k)) continue;
        seen.add(k);
        out.push(p);
      }
    }
    return out;
  }

  /** The target result that covers a document (the document itself, or its notebook). */
  resultFor(uri: vscode.Uri): { key: string; result: TargetResult; cell?: number } | undefined {
    const id = uri.toString();
    const own = this.results.get(id);
    if (own) return { key: id, result: own };
    for (const [key, result] of this.results) {
      const cell = result.cells?.get(id);
      if (cell !== undefined) return { key, result, cell };
    }
    return undefined;
  }

  dispose(): void {
    this.changed.dispose();
  }

  private urisOf(key: string): Map<string, vscode.Uri> {
    const out = new Map<string, vscode.Uri>();
    const result = this.results.get(key);
    for (const p of [...(result?.placed ?? []), ...(result?.notes ?? [])]) out.set(p.uri.toString(), p.uri);
    return out;
  }

  private notesOn(uri: vscode.Uri): vscode.Diagnostic[] {
    const id = uri.toString();
    return [...this.results.values()].flatMap((r) => (r.notes ?? []).filter((n) => n.uri.toString() === id).map((n) => n.diagnostic));
  }

  private republish(uris: Map<string, vscode.Uri>): void {
    for (const uri of uris.values()) {
      const diagnostics = [...this.placedOn(uri).map((p) => p.diagnostic), ...this.notesOn(uri)];
      if (diagnostics.length === 0) this.collection.delete(uri);
      else this.collection.set(uri, diagnostics);
    }
    this.changed.fire();
  }
}
