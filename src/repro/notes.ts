/**
 * The notes of a reproduction: what the user should know about how the run differs from their
 * program. Each has a kind, which decides where it is shown, and a text, which is only shown;
 * rewording a text changes nothing else.
 */

export type ReproNoteKind =
  /** Data the analysis could not follow, replaced by synthetic values of the known shape and scale. */
  | 'stand-in'
  /** A transform of the data (a scaler, an assignment, noise) the reproduction does not replay. */
  | 'not-replayed'
  /** A transform replayed in a way of its own (fillna with 0). */
  | 'replayed'
  /** The run cut to the caps (epochs, samples). */
  | 'shortened'
  /** A setting that is not reproduced (a callback, a dtype policy). */
  | 'not-reproduced'
  /** A setting the program does not give, assumed (a JSON topology without compile settings). */
  | 'assumed'
  /** A computation arranged otherwise than Keras's for the same result (a batch in micro-batches), and where it differs. */
  | 'computed'
  /** A fix the run tries, and how it departs from the fix in code. */
  | 'fix-tried';

export interface ReproNote {
  kind: ReproNoteKind;
  text: string;
}

/** The kinds that say how the run's data differs from the program's: the summary's `data.notes`. */
const DATA_NOTE_KINDS: ReadonlySet<ReproNoteKind> = new Set<ReproNoteKind>(['stand-in', 'not-replayed', 'shortened']);

export function isDataNote(note: ReproNote): boolean {
  return DATA_NOTE_KINDS.has(note.kind);
}

export function noteTexts(notes: readonly ReproNote[], kind?: ReproNoteKind): string[] {
  return notes.filter((n) => kind === undefined || n.kind === kind).map((n) => n.text);
}
