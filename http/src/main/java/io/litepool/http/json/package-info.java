/**
 * What every layer of the server shares, at the bottom of the module: the one strict Jackson mapper and how a
 * request body is read ({@link io.litepool.http.json.Json}: well-formed UTF-8, no duplicate keys, no unpaired
 * surrogates), and the two rules for what an answer may repeat: a client's text only clipped to one short line
 * ({@link io.litepool.http.json.ClientText}), and for an unexpected failure a reference to the log line, never the
 * exception ({@link io.litepool.http.json.ErrorReference}).
 *
 * <p><b>May depend on:</b> Jackson and the JDK only: nothing of LitePool.
 */
package io.litepool.http.json;
