/**
 * Outbound network rules shared by every feature that calls a URL someone else gave it: the SSRF
 * guard against private targets, and the HTTP/1.1 client that connects only to addresses the guard
 * checked ({@code GuardedHttp}). Depends on the JDK only.
 */
package dev.purser.net;
