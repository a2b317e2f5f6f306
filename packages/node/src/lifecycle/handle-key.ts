/**
 * Where `start()` keeps the running otelkit's handle: a global symbol, so every copy of the package in a process
 * (and the light entry points, which do not import `start`) finds the same instance.
 */
export const HANDLE_KEY = Symbol.for('otelkit.handle');
