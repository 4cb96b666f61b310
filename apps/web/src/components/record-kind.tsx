const KIND_MEANING: Record<string, string> = {
  R: 'task finished normally',
  P: 'client-side task finished',
  W: 'closed while sending the response',
  N: 'closed while receiving the request',
  E: 'connection closed',
};

export function RecordKindBadge({ kind, extensions = '' }: { kind: string; extensions?: string }) {
  return (
    <span className={`badge t-${kind}`} title={KIND_MEANING[kind]}>
      {kind}
      {extensions ? `.${extensions}` : ''}
    </span>
  );
}

export function kindMeaning(kind: string): string {
  return KIND_MEANING[kind] ?? kind;
}
