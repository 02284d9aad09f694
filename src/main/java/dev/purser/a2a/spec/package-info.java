/**
 * The A2A data model, one model for both wire versions (1.0 shapes; 0.3 converts at the edge).
 * Records that check and freeze their input. Depends on Jackson's tree types only, for metadata
 * and data parts, which are free-form JSON.
 */
package dev.purser.a2a.spec;
