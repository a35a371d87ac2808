package dev.indexer.mcp;

import dev.indexer.json.Json;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Whether a text is one JSON-RPC 2.0 message the MCP SDK can take, checked before the SDK sees it:
 * on stdio the SDK ends its session for good on the first message it cannot read, over HTTP it
 * answers one with a serialized Java exception. What is wrong is said in JSON-RPC's codes: -32700
 * for what is not JSON, -32600 for JSON that is not one message, -32602 for params that are not an
 * object.
 *
 * @param id the message's id (null for a notification, or where it cannot be told)
 * @param method the method of a request or notification; null for a response or a failed check
 * @param response whether the message answers one of the server's requests
 * @param code the JSON-RPC error code when the check failed; 0 when it passed
 * @param problem what is wrong, for the error's message; null when the check passed
 */
record JsonRpcCheck(Object id, String method, boolean response, int code, String problem) {
    static final int PARSE_ERROR = McpSchema.ErrorCodes.PARSE_ERROR;
    static final int INVALID_REQUEST = McpSchema.ErrorCodes.INVALID_REQUEST;

    boolean passed() {
        return problem == null;
    }

    /** Whether the message is a request the SDK is to answer. */
    boolean isRequest() {
        return passed() && !response && id != null;
    }

    static JsonRpcCheck of(McpJsonMapper json, String text) {
        Object parsed;
        try {
            parsed = json.readValue(text, Object.class);
        } catch (IOException | RuntimeException e) {
            return failed(null, PARSE_ERROR, "not JSON: " + reason(e));
        }
        if (!(parsed instanceof Map<?, ?> message)) {
            return failed(null, INVALID_REQUEST, parsed instanceof List
                    ? "batches are not supported: send one JSON-RPC message at a time"
                    : "a message must be a JSON object");
        }
        Object id = message.get("id");
        boolean validId = id == null || id instanceof String || id instanceof Number;
        Object answerTo = validId ? id : null;
        if (!"2.0".equals(message.get("jsonrpc"))) {
            return failed(answerTo, INVALID_REQUEST, "a message must have \"jsonrpc\": \"2.0\"");
        }
        if (!validId || (message.containsKey("id") && id == null)) {
            return failed(null, INVALID_REQUEST, "the id must be a string or a number");
        }
        Object method = message.get("method");
        boolean response = method == null && (message.containsKey("result") || message.containsKey("error"));
        if (!response && !(method instanceof String)) {
            return failed(answerTo, INVALID_REQUEST, "a request needs a \"method\" (a string)");
        }
        if (message.containsKey("params") && !(message.get("params") instanceof Map)) {
            return failed(answerTo, McpSchema.ErrorCodes.INVALID_PARAMS, "params must be a JSON object");
        }
        try {
            McpSchema.deserializeJsonRpcMessage(json, text);
        } catch (IOException | RuntimeException e) {
            return failed(answerTo, INVALID_REQUEST, "not a JSON-RPC message: " + reason(e));
        }
        return new JsonRpcCheck(id, response ? null : (String) method, response, 0, null);
    }

    /** The error that answers a failed check, as a JSON-RPC message. */
    Map<String, Object> error() {
        return error(id, code, problem);
    }

    static Map<String, Object> error(Object id, int code, String message) {
        return Json.object("jsonrpc", "2.0", "id", id, "error", Map.of("code", code, "message", message));
    }

    private static JsonRpcCheck failed(Object id, int code, String problem) {
        return new JsonRpcCheck(id, null, false, code, problem);
    }

    /** A library's message, its first line, cut: enough to see what was wrong. */
    private static String reason(Exception e) {
        String message = String.valueOf(e.getMessage());
        int end = message.indexOf('\n');
        message = end < 0 ? message : message.substring(0, end);
        return message.length() > 200 ? message.substring(0, 200) + "..." : message;
    }
}
