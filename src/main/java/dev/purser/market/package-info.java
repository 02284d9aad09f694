/**
 * The marketplace: the skills Purser serves and their prices (fail closed: a paid skill always has
 * a price). Depends on configuration and Jackson only.
 */
package dev.purser.market;
