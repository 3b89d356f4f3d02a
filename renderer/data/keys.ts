export const cardsKey = ['cards'] as const;
export const hostInfoKey = ['host-info'] as const;

export function assignmentKey(assignmentId: string) {
  return ['assignment', assignmentId] as const;
}
