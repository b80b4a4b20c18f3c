/**
 * In-server tests of what only a Jakarta EE 11 server does (Persistence 3.2's injectable
 * EntityManagers); the failsafe executions of the EE 11 rows run them beside the common suite.
 */
package dev.dblayer.server.ee11;
