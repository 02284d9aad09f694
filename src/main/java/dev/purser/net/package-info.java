/**
 * Outbound network rules shared by every feature that calls a URL someone else gave it: the SSRF
 * guard against private targets. Depends on the JDK only.
 */
package dev.purser.net;
