package org.qnnoracle;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsing a user's JSON file into a tree, with every syntax error said in our words.
 *
 * <p>Jackson's messages are written for programmers: they name parser features to enable
 * ("enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS`"), Java types, and for a truncated file a "[Source: ...]"
 * dump of the first few hundred bytes. A user needs where the problem is and what to change, so each kind of
 * error Jackson reports is matched here and described in one short sentence ("line 3, column 12: NaN is not
 * allowed (write numbers only)"); one this class does not know becomes "not valid JSON here" at its line and
 * column, never the raw message.
 */
public final class JsonText {
  private static final Pattern TOKEN = Pattern.compile("(?:Non-standard|Unrecognized) token '(.*?)'");
  private static final Pattern CHAR = Pattern.compile("Unexpected character \\('(.)' \\(code (\\d+)\\)\\)");
  private static final Pattern CLOSE = Pattern.compile("Unexpected close marker '(.)': expected '(.)'");
  private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'");
  private static final Pattern NON_FINITE = Pattern.compile("(?i)[+-]?(nan|inf|infinity)");

  private JsonText() {}

  /**
   * The JSON value in {@code bytes} (UTF-8), or a missing node when there is nothing but white space.
   *
   * @param label names the input at the start of every message (a file name, or "scenario 'x.json'")
   * @throws InvalidInputException one line: "LABEL: not a text file (byte 9 is not UTF-8)", "LABEL line 3,
   *     column 12: NaN is not allowed (write numbers only)", "LABEL: the file ends before the JSON is complete
   *     (truncated?)" ...
   */
  public static JsonNode parse(ObjectMapper mapper, byte[] bytes, String label) {
    // Checked first: Jackson guesses an encoding from the first bytes, so a binary file reaches it as UTF-16 or
    // UTF-32 "text" and comes back as a complaint about a token of Chinese characters.
    String notText = InputFiles.notText(bytes);
    if (notText != null) {
      throw new InvalidInputException(label + ": " + notText);
    }
    try {
      return mapper.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(describe(e, bytes, label));
    } catch (IOException e) {
      // readTree on a byte array does no I/O; this is a parser failure of a kind we do not know
      throw new InvalidInputException(label + ": not valid JSON");
    }
  }

  /** The one-line message for {@code e}, raised while parsing {@code bytes}. */
  static String describe(JsonProcessingException e, byte[] bytes, String label) {
    String msg = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    JsonLocation loc = e.getLocation();
    if (e instanceof JsonEOFException || msg.contains("end-of-input") || cutShort(msg, bytes)) {
      return label + ": the file ends before the JSON is complete (truncated?)";
    }
    if (e instanceof StreamConstraintsException) {
      return label + ": " + constraint(msg);
    }
    int line = loc == null ? -1 : loc.getLineNr();
    int column = loc == null ? -1 : loc.getColumnNr();
    String what;
    Matcher m;
    if ((m = TOKEN.matcher(msg)).find()) {
      String token = m.group(1);
      column = tokenStart(bytes, line, column, token);
      if (NON_FINITE.matcher(token).matches()) {
        what = abbreviate(token) + " is not allowed (write numbers only)";
      } else {
        what = "'" + abbreviate(token) + "' is not a JSON value (text must be in double quotes; true, false and null "
            + "are lower case)";
      }
    } else if ((m = CHAR.matcher(msg)).find()) {
      // Jackson reports a column one or two past the character; point at the character itself
      column = tokenStart(bytes, line, column, m.group(1));
      what = unexpected(m.group(1).charAt(0), Integer.parseInt(m.group(2)), msg);
    } else if ((m = CLOSE.matcher(msg)).find()) {
      column = tokenStart(bytes, line, column, m.group(1));
      what = "'" + m.group(1) + "' does not match the open bracket (expected '" + m.group(2) + "')";
    } else if ((m = DUPLICATE.matcher(msg)).find()) {
      column = tokenStart(bytes, line, column, "\"" + m.group(1) + "\"");
      what = "'" + abbreviate(m.group(1)) + "' is given twice";
    } else if (msg.startsWith("Trailing token")) {
      what = "there is more after the end of the JSON value (two documents in one file?)";
    } else if (msg.contains("Leading zeroes")) {
      what = "a number may not start with 0 (leading zeros are not allowed)";
    } else if (msg.startsWith("Illegal unquoted character")) {
      what = "a string holds a raw control character (a line break or tab inside quotes must be escaped)";
    } else if (msg.startsWith("Illegal character")) {
      what = "a control character outside a string";
    } else if (msg.contains("character escape")) {
      what = "a string holds an invalid escape sequence (use \\\\, \\\", \\n, \\t or \\uXXXX)";
    } else {
      what = "not valid JSON here";
    }
    return label + (line > 0 ? " line " + line + ", column " + Math.max(column, 1) : "") + ": " + what;
  }

  private static String unexpected(char c, int code, String msg) {
    String shown = code < 32 || code == 127 ? "a control character (code " + code + ")" : "'" + c + "'";
    if (msg.contains("double-quote to start field name")) {
      if (c == '}') {
        return "a comma before '}' (a trailing comma is not allowed)";
      }
      if (c == '\'') {
        return "member names need double quotes, not single quotes";
      }
      return "expected a member name in double quotes, found " + shown;
    }
    if (msg.contains("comma to separate Object entries")) {
      return "expected ',' or '}' after a member, found " + shown;
    }
    if (msg.contains("comma to separate Array entries")) {
      return "expected ',' or ']' after an element, found " + shown;
    }
    if (msg.contains("colon to separate field name and value")) {
      return "expected ':' after the member name, found " + shown;
    }
    if (msg.contains("plus sign")) {
      return "a number may not start with '+'";
    }
    if (msg.contains("in numeric value") || msg.contains("hex-digit")) {
      return msg.contains("hex-digit") ? "a \\u escape needs four hex digits" : "a malformed number";
    }
    if (msg.contains("comment")) {
      return "comments are not allowed in JSON";
    }
    if (msg.contains("expected a value") || msg.contains("expected a valid value")) {
      if (c == ']') {
        return "a comma before ']' (a trailing comma is not allowed)";
      }
      if (c == '\'') {
        return "strings need double quotes, not single quotes";
      }
      return shown + " cannot start a JSON value";
    }
    return "unexpected " + shown;
  }

  private static String constraint(String msg) {
    if (msg.startsWith("Depth")) {
      return "the JSON is nested too deep (more than 1000 levels)";
    }
    if (msg.startsWith("Number")) {
      return "a number has more than 1000 digits";
    }
    if (msg.startsWith("String")) {
      return "a string is too long";
    }
    return "a value is too large";
  }

  /**
   * Jackson reports a bad token's (or character's) column at or after its end; the column where it starts is where
   * a reader looks.
   * Found by searching the line for the token at or before the reported column (columns count bytes, as
   * Jackson's do for byte input).
   */
  private static int tokenStart(byte[] bytes, int line, int column, String token) {
    if (line < 1 || column < 1 || token.isEmpty()) {
      return column;
    }
    int start = 0;
    for (int l = 1; l < line && start < bytes.length; start++) {
      if (bytes[start] == '\n') {
        l++;
      }
    }
    int end = start;
    while (end < bytes.length && bytes[end] != '\n') {
      end++;
    }
    String text = new String(bytes, start, end - start, StandardCharsets.UTF_8);
    int at = text.lastIndexOf(token, Math.min(text.length(), column) - 1);
    return at < 0 ? column : at + 1;
  }

  /**
   * Whether the file ends in the middle of a number or a word ("[0." or "[tr"): Jackson reports those as a malformed
   * number or an unknown token, but what is wrong is that the rest is missing.
   */
  private static boolean cutShort(String msg, byte[] bytes) {
    int n = contentLength(bytes);
    if (n == 0) {
      return false;
    }
    byte last = bytes[n - 1];
    if (msg.contains("in numeric value")) {
      return last == '.' || last == 'e' || last == 'E' || last == '-' || last == '+';
    }
    Matcher m = TOKEN.matcher(msg);
    if (m.find() && !m.group(1).isEmpty()) {
      byte[] token = m.group(1).getBytes(StandardCharsets.UTF_8);
      return n >= token.length && Arrays.equals(bytes, n - token.length, n, token, 0, token.length);
    }
    return false;
  }

  /** The length of {@code bytes} without trailing white space (a file's final line break). */
  private static int contentLength(byte[] bytes) {
    int n = bytes.length;
    while (n > 0 && (bytes[n - 1] == ' ' || bytes[n - 1] == '\n' || bytes[n - 1] == '\r' || bytes[n - 1] == '\t')) {
      n--;
    }
    return n;
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }
}
