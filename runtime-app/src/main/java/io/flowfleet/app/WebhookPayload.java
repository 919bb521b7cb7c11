package io.flowfleet.app;

import io.flowfleet.contract.RuntimeSettings;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.flowfleet.core.flow.Json;
import io.flowfleet.core.flow.TriggerPayload;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a webhook call into the trigger payload the flow sees ({@code {"method", "headers",
 * "queryParams", "body"}}, header names lower-cased) as JSON text, ready to store and enqueue.
 * The body is checked, not rebuilt: a JSON body is validated by streaming over it and embedded
 * as-is; other content types become a string. The JSON form itself is {@link TriggerPayload}'s.
 */
final class WebhookPayload {
    /** Request bodies get the documented limits (nesting {@value Json#MAX_NESTING_DEPTH}, ...). */
    private static final JsonFactory JSON = Json.REQUEST_FACTORY;

    private WebhookPayload() {
    }

    /** What a flow sees instead of the management API key, when a caller sends it along with a webhook. */
    static final String REDACTED_KEY = "[redacted: the management API key]";

    /**
     * @param apiKey AP_API_KEY's bytes: a client that sends its X-API-Key with every call must not hand the
     *               platform's key to a flow (tenant code, and everyone who may read its runs)
     * @throws ApiException 413 over {@code maxBytes}, 400 for a malformed JSON body or text the store cannot keep
     */
    static String read(HttpServletRequest request, long maxBytes, byte[] apiKey) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) throw tooLarge(maxBytes);
        byte[] body = readLimited(request.getInputStream(), maxBytes, declared);
        boolean json = isJson(request.getContentType());
        // JSON is UTF-8 (RFC 8259): a bad byte is refused, never replaced by U+FFFD. Other bodies are text
        // decoded with replacement, NUL included: the run store (jsonb) cannot hold U+0000.
        String text = json ? Utf8.decode(body, "the body") : new String(body, StandardCharsets.UTF_8).replace('\0', '\uFFFD');
        if (json && !text.isBlank()) validateJson(text);

        Map<String, String> headers = new LinkedHashMap<>();
        Enumeration<String> names = request.getHeaderNames();
        while (names.hasMoreElements()) {
            String name = names.nextElement();
            String value = request.getHeader(name);
            if (name.equalsIgnoreCase(ApiSecurity.HEADER) && value != null
                    && MessageDigest.isEqual(apiKey, value.getBytes(StandardCharsets.UTF_8))) {
                value = REDACTED_KEY;
            }
            storable("header " + name, name, value);
            headers.put(name, value);
        }
        Map<String, String> query = new LinkedHashMap<>();
        for (Map.Entry<String, String[]> p : request.getParameterMap().entrySet()) {
            if (p.getValue().length == 0) continue;
            storable("query parameter " + p.getKey(), p.getKey(), p.getValue()[0]);
            query.put(p.getKey(), p.getValue()[0]);
        }
        return TriggerPayload.toJson(request.getMethod(), headers, query, text, json);
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) return true;
        String ct = contentType.toLowerCase(Locale.ROOT);
        return ct.contains("json");
    }

    /** Header and query values reach the flow as JSON strings in the stored payload: refuses what jsonb cannot hold. */
    private static void storable(String what, String name, String value) {
        String why = Json.unstorable(name);
        if (why == null && value != null) why = Json.unstorable(value);
        if (why != null) throw ApiException.badRequest("the " + abbreviate(what) + " " + why);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    private static void validateJson(String text) {
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() == null) return;
            // Strings can only hold what jsonb refuses (U+0000, a lone surrogate) through a \\u escape.
            String why = Json.unstorable(p, text.indexOf("\\u") >= 0);
            if (why != null) throw ApiException.badRequest("the body cannot be stored: " + why);
            if (p.nextToken() != null) throw ApiException.badRequest("the body holds more than one JSON value");
        } catch (StreamConstraintsException e) {
            throw ApiException.badRequest("the body is refused: " + Json.limitMessage(e));
        } catch (JsonParseException e) {
            throw ApiException.badRequest("the body is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readLimited(InputStream in, long maxBytes, long declared) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(declared > 0 ? (int) declared : 1024);
        byte[] chunk = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(chunk)) > 0) {
            total += n;
            if (total > maxBytes) throw tooLarge(maxBytes);
            buffer.write(chunk, 0, n);
        }
        return buffer.toByteArray();
    }

    private static ApiException tooLarge(long maxBytes) {
        return new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE",
                "the webhook body is larger than " + maxBytes / (1024 * 1024) + " MB (" + RuntimeSettings.ENV_VAR_MAX_WEBHOOK_PAYLOAD_SIZE_MB + ")");
    }
}
