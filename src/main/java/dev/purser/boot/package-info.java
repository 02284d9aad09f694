/**
 * Start-up: the embedded PostgreSQL of a first run and the application's main. Depends on nothing
 * else in Purser; everything else may assume the datasource is configured when it starts.
 */
package dev.purser.boot;
