package dev.indexer.chunk;

/**
 * One line of a file, without its line terminator. A line longer than the reader's limit comes
 * as several fragments with the same number.
 */
record Line(int number, String text) {}
