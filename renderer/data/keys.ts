export const cardsKey = ['cards'] as const;
export const hostInfoKey = ['host-info'] as const;
export const accountsKey = ['accounts'] as const;
export const providersKey = ['providers'] as const;
export const settingsKey = ['settings'] as const;

export function assignmentKey(assignmentId: string) {
  return ['assignment', assignmentId] as const;
}

export function loginKey(loginId: string) {
  return ['login', loginId] as const;
}
