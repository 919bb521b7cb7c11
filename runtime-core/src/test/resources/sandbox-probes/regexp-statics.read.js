export const code = async () => ['input', '$_', '$1', '$2', 'lastMatch', '$&', 'lastParen', '$+', 'leftContext', '$`', 'rightContext', "$'"]
  .map((k) => k + '=' + String(RegExp[k]));
