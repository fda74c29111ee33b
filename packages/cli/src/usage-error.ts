import { InputError } from '@selfkd/core';

/** Arguments that do not make a valid command line; reported with a pointer to --help (exit status 2). */
export class UsageError extends InputError {}
