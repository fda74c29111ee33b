/**
 * Bad input that is not a config value: a missing or damaged file, a run folder that cannot be
 * resumed, arguments that do not fit together. Commands report it without a stack trace and exit
 * with status 2, like a ConfigError; anything else that fails during work exits with 1.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}
