// SPDX-License-Identifier: Apache-2.0
// claude::pipe_command shapes, parse_result on the real CLI's outputs and on hostile ones, and
// the stream-json event parser fed in chunks.
#include <daytona/claude.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#ifndef DAYTONA_SOURCE_DIR
#define DAYTONA_SOURCE_DIR "."
#endif

namespace dt = daytona;
namespace claude = dt::claude;

namespace {

// Outputs of the real CLI (2.1.197, print mode), recorded offline.
const char* const success_json = "fake-api-success-json.stdout.json";
const char* const success_stream = "fake-api-success-stream-json.stdout.jsonl";
const char* const offline_json = "offline-json-default-retries.stdout.json";
const char* const offline_json_no_retry = "offline-json-max-retries-0.stdout.json";
const char* const offline_stream_killed =
    "offline-stream-json-default-retries-killed-at-120s.stdout.jsonl";
const char* const offline_stream_no_retry = "offline-stream-json-max-retries-0.stdout.jsonl";

std::string data(const std::string& name) {
    const std::string path = std::string(DAYTONA_SOURCE_DIR) + "/tests/data/claude/" + name;
    std::ifstream in(path, std::ios::binary);
    EXPECT_TRUE(in) << "cannot open " << path << " (set DAYTONA_SOURCE_DIR)";
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

std::string replace_all(std::string s, const std::string& what, const std::string& with) {
    for (auto pos = s.find(what); pos != std::string::npos; pos = s.find(what, pos + with.size()))
        s.replace(pos, what.size(), with);
    return s;
}

}  // namespace

// --- shell quoting helper --------------------------------------------------------------------

TEST(ShellQuote, QuotesOnlyWhatNeedsIt) {
    using dt::detail::shell_quote;
    EXPECT_EQ(shell_quote("sonnet"), "sonnet");
    EXPECT_EQ(shell_quote("/usr/local/bin/claude"), "/usr/local/bin/claude");
    EXPECT_EQ(shell_quote("a=b,c:d@e%f+g-h.i_j"), "a=b,c:d@e%f+g-h.i_j");
    EXPECT_EQ(shell_quote(""), "''");
    EXPECT_EQ(shell_quote("=cmd"), "'=cmd'");  // zsh would expand a leading '='
    EXPECT_EQ(shell_quote("a b"), "'a b'");
    EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
    EXPECT_EQ(shell_quote("'"), "''\\'''");
    EXPECT_EQ(shell_quote("$HOME `id` \\ \"q\" ~ * ? [a] {b,c} ! # & ; | < > ( )"),
              "'$HOME `id` \\ \"q\" ~ * ? [a] {b,c} ! # & ; | < > ( )'");
    EXPECT_EQ(shell_quote("line1\nline2"), "'line1\nline2'");
    EXPECT_EQ(shell_quote("\xff\x81"), "'\xff\x81'");
    EXPECT_TRUE(dt::detail::is_env_name("ANTHROPIC_API_KEY"));
    EXPECT_TRUE(dt::detail::is_env_name("_x1"));
    EXPECT_FALSE(dt::detail::is_env_name("1X"));
    EXPECT_FALSE(dt::detail::is_env_name("A-B"));
    EXPECT_FALSE(dt::detail::is_env_name(""));
}

// --- pipe_command ----------------------------------------------------------------------------

TEST(ClaudePipeCommand, DefaultOptions) {
    auto cmd = claude::pipe_command("What is 2+2?", {});
    ASSERT_TRUE(cmd) << cmd.error();
    EXPECT_EQ(*cmd, "printf '%s' 'What is 2+2?' | claude -p --output-format json");
}

TEST(ClaudePipeCommand, TypicalOptions) {
    claude::options o;
    o.model = "sonnet";
    o.append_system_prompt = "Be terse.";
    o.allowed_tools = {"Read", "Bash(ls:*)"};
    o.max_turns = 20;
    o.cwd = "/workspace/repo";
    o.env = {{"ANTHROPIC_API_KEY", "sk-ant-api03-SECRET"}};
    auto cmd = claude::pipe_command("Explain $PATH and `uname`; don't run it", o);
    ASSERT_TRUE(cmd) << cmd.error();
    EXPECT_EQ(*cmd,
              "printf '%s' 'Explain $PATH and `uname`; don'\\''t run it' | claude -p "
              "--output-format json --model sonnet --append-system-prompt 'Be terse.' "
              "--allowedTools=Read --allowedTools='Bash(ls:*)' --max-turns 20");
}

TEST(ClaudePipeCommand, StreamJsonAddsVerbose) {
    claude::options o;
    o.output_format = claude::output_format::stream_json;
    EXPECT_EQ(claude::pipe_command("hi", o).value(),
              "printf '%s' 'hi' | claude -p --output-format stream-json --verbose");
    o.output_format = claude::output_format::text;
    EXPECT_EQ(claude::pipe_command("hi", o).value(),
              "printf '%s' 'hi' | claude -p --output-format text");
}

TEST(ClaudePipeCommand, EveryOptionMapsToItsFlag) {
    claude::options o;
    o.model = "opus";
    o.output_format = claude::output_format::stream_json;
    o.continue_session = true;
    o.resume = "-starts-with-dash";
    o.session_id = "3d33f799-26a2-42a8-b686-674afbe8bfff";
    o.system_prompt = "You are a reviewer.";
    o.append_system_prompt = "-n";
    o.allowed_tools = {"Read", "Bash(git log:*)"};
    o.disallowed_tools = {"WebFetch"};
    o.max_turns = 3;
    o.permission_mode = "acceptEdits";
    o.skip_permissions = true;
    o.add_dirs = {"/data", "../lib"};
    o.settings = R"({"model":"x"})";
    o.mcp_config = {"/etc/mcp.json"};
    o.extra_args = {"--fallback-model", "haiku", "--include-partial-messages"};
    auto args = claude::cli_arguments(o);
    ASSERT_TRUE(args) << args.error();
    const std::vector<std::string> want{"-p",
                                        "--output-format",
                                        "stream-json",
                                        "--verbose",
                                        "--model",
                                        "opus",
                                        "--continue",
                                        "--resume=-starts-with-dash",
                                        "--session-id",
                                        "3d33f799-26a2-42a8-b686-674afbe8bfff",
                                        "--system-prompt",
                                        "You are a reviewer.",
                                        "--append-system-prompt",
                                        "-n",
                                        "--allowedTools=Read",
                                        "--allowedTools=Bash(git log:*)",
                                        "--disallowedTools=WebFetch",
                                        "--max-turns",
                                        "3",
                                        "--permission-mode",
                                        "acceptEdits",
                                        "--dangerously-skip-permissions",
                                        "--add-dir=/data",
                                        "--add-dir=../lib",
                                        "--settings",
                                        R"({"model":"x"})",
                                        "--mcp-config=/etc/mcp.json",
                                        "--fallback-model",
                                        "haiku",
                                        "--include-partial-messages"};
    EXPECT_EQ(*args, want);
    EXPECT_EQ(claude::pipe_command("p", o).value(),
              "printf '%s' 'p' | claude -p --output-format stream-json --verbose --model opus "
              "--continue --resume=-starts-with-dash --session-id "
              "3d33f799-26a2-42a8-b686-674afbe8bfff --system-prompt 'You are a reviewer.' "
              "--append-system-prompt -n --allowedTools=Read --allowedTools='Bash(git log:*)' "
              "--disallowedTools=WebFetch --max-turns 3 --permission-mode acceptEdits "
              "--dangerously-skip-permissions --add-dir=/data --add-dir=../lib --settings "
              "'{\"model\":\"x\"}' --mcp-config=/etc/mcp.json --fallback-model haiku "
              "--include-partial-messages");
}

TEST(ClaudePipeCommand, EmptyValuesStayArguments) {
    claude::options o;
    o.model = "";
    o.allowed_tools = {""};
    EXPECT_EQ(claude::pipe_command("", o).value(),
              "printf '%s' '' | claude -p --output-format json --model '' --allowedTools=");
}

TEST(ClaudePipeCommand, ExecutableIsOneWord) {
    claude::options o;
    o.executable = "/home/my user/.local/bin/claude";
    EXPECT_EQ(claude::pipe_command("x", o).value(),
              "printf '%s' 'x' | '/home/my user/.local/bin/claude' -p --output-format json");
    o.executable = "";
    auto e = claude::pipe_command("x", o);
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error(), dt::errc::invalid_argument);
}

TEST(ClaudePipeCommand, RefusesNulBytesWithoutEchoingValues) {
    auto p = claude::pipe_command(std::string("abc\0def", 7), {});
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error(), dt::errc::invalid_argument);
    EXPECT_EQ(p.error(), dt::condition::bad_request);
    EXPECT_NE(p.error().message().find("prompt"), std::string::npos) << p.error();
    EXPECT_NE(p.error().message().find("offset 3"), std::string::npos) << p.error();
    EXPECT_EQ(p.error().operation(), "claude::pipe_command");

    claude::options o;
    o.append_system_prompt = std::string("secret-ish\0value", 16);
    auto a = claude::pipe_command("x", o);
    ASSERT_FALSE(a);
    EXPECT_EQ(a.error(), dt::errc::invalid_argument);
    EXPECT_NE(a.error().message().find("--append-system-prompt"), std::string::npos);
    EXPECT_EQ(a.error().to_string().find("secret-ish"), std::string::npos) << a.error();

    claude::options t;
    t.allowed_tools = {"Read", std::string("B\0", 2)};
    EXPECT_EQ(claude::pipe_command("x", t).error(), dt::errc::invalid_argument);
    claude::options x;
    x.extra_args = {std::string("\0", 1)};
    EXPECT_EQ(claude::pipe_command("x", x).error(), dt::errc::invalid_argument);
}

TEST(ClaudePipeCommand, SecretsAndCwdTravelBesideTheCommand) {
    claude::options o;
    o.env = {{"ANTHROPIC_API_KEY", "sk-ant-api03-TOPSECRET"},
             {"ANTHROPIC_BASE_URL", "http://127.0.0.1:9"}};
    o.cwd = "/workspace/my repo";
    o.output_format = claude::output_format::stream_json;
    auto inv = claude::make_invocation("hello", o);
    ASSERT_TRUE(inv) << inv.error();
    EXPECT_EQ(inv->command, claude::pipe_command("hello", o).value());
    EXPECT_EQ(inv->command.find("TOPSECRET"), std::string::npos);
    EXPECT_EQ(inv->command.find("ANTHROPIC"), std::string::npos);
    EXPECT_EQ(inv->command.find("workspace"), std::string::npos);
    EXPECT_EQ(inv->env, o.env);
    EXPECT_EQ(inv->cwd, o.cwd);
    EXPECT_EQ(inv->output_format, claude::output_format::stream_json);

    claude::options bad;
    bad.env = {{"NOT-A-NAME", "sk-ant-TOPSECRET"}};
    auto e = claude::make_invocation("x", bad);
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error(), dt::errc::invalid_argument);
    EXPECT_EQ(e.error().to_string().find("TOPSECRET"), std::string::npos);
    claude::options nul;
    nul.env = {{"KEY", std::string("sk-ant-\0TOPSECRET", 17)}};
    auto n = claude::make_invocation("x", nul);
    ASSERT_FALSE(n);
    EXPECT_EQ(n.error(), dt::errc::invalid_argument);
    EXPECT_NE(n.error().message().find("KEY"), std::string::npos);
    EXPECT_EQ(n.error().to_string().find("TOPSECRET"), std::string::npos);
}

TEST(ClaudePipeCommand, MebibytePromptIsQuotedOnce) {
    std::string prompt(1 << 20, 'x');
    for (std::size_t i = 0; i < prompt.size(); i += 97)
        prompt[i] = '\'';
    auto cmd = claude::pipe_command(prompt, {});
    ASSERT_TRUE(cmd);
    const std::size_t quotes = (prompt.size() + 96) / 97;
    EXPECT_EQ(cmd->size(),
              std::string_view("printf '%s' '' | claude -p --output-format json").size() +
                  prompt.size() + 3 * quotes);
}

// --- parse_result on the real CLI's outputs --------------------------------------------------

TEST(ClaudeParseResult, SuccessJson) {
    const auto text = data(success_json);
    auto r = claude::parse_result(text);
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->subtype, "success");
    EXPECT_FALSE(r->is_error);
    EXPECT_FALSE(r->failed());
    EXPECT_FALSE(r->is_api_error());
    EXPECT_EQ(r->failure_message(), "");
    EXPECT_EQ(r->result, "4");
    EXPECT_EQ(r->session_id, "ad2c11b6-b55e-4eb5-bb7d-54f396808b89");
    EXPECT_EQ(r->num_turns, 1);
    EXPECT_EQ(r->duration_ms, 201);
    EXPECT_EQ(r->duration_api_ms, 93);
    EXPECT_DOUBLE_EQ(r->total_cost_usd, 0.000132);
    EXPECT_EQ(r->stop_reason, "end_turn");
    EXPECT_FALSE(r->api_error_status);
    EXPECT_EQ(r->usage.input_tokens, 12);
    EXPECT_EQ(r->usage.output_tokens, 2);
    EXPECT_EQ(r->usage.cache_creation_input_tokens, 0);
    EXPECT_EQ(r->usage.cache_read_input_tokens, 0);
    EXPECT_EQ(r->usage.server_tool_use.web_search_requests, 0);
    EXPECT_EQ(r->usage.service_tier, "standard");
    ASSERT_EQ(r->model_usage.size(), 1u);
    const auto& mu = r->model_usage.at("claude-sonnet-5");
    EXPECT_EQ(mu.input_tokens, 24);
    EXPECT_EQ(mu.output_tokens, 4);
    EXPECT_DOUBLE_EQ(mu.cost_usd, 0.000132);
    EXPECT_EQ(mu.context_window, 200000);
    EXPECT_EQ(mu.max_output_tokens, 64000);
    EXPECT_TRUE(r->permission_denials.empty());
    EXPECT_TRUE(r->errors.empty());
    EXPECT_EQ(r->terminal_reason, "completed");
    EXPECT_EQ(r->uuid, "99a4d084-d030-4e65-99eb-189904969ebf");
    EXPECT_EQ(r->raw_json + "\n", text);
}

TEST(ClaudeParseResult, ApiFailureIsASuccessSubtypeWithIsError) {
    for (const char* file : {offline_json, offline_json_no_retry}) {
        auto r = claude::parse_result(data(file));
        ASSERT_TRUE(r) << file << ": " << r.error();
        EXPECT_EQ(r->subtype, "success") << file;
        EXPECT_TRUE(r->is_error) << file;
        EXPECT_TRUE(r->failed()) << file;
        EXPECT_TRUE(r->is_api_error()) << file;
        EXPECT_EQ(r->result, "API Error: Unable to connect to API (FailedToOpenSocket)");
        EXPECT_EQ(r->failure_message(),
                  "Claude Code reported an API failure: API Error: Unable to connect to API "
                  "(FailedToOpenSocket)");
        EXPECT_EQ(r->total_cost_usd, 0.0);
        EXPECT_TRUE(r->model_usage.empty());
        EXPECT_EQ(r->num_turns, 1);
    }
    EXPECT_EQ(claude::parse_result(data(offline_json)).value().duration_ms, 182086);
    EXPECT_EQ(claude::parse_result(data(offline_json_no_retry)).value().session_id,
              "3d33f799-26a2-42a8-b686-674afbe8bfff");
}

TEST(ClaudeParseResult, StreamJsonTakesTheResultEvent) {
    auto r = claude::parse_result(data(success_stream));
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->result, "4");
    EXPECT_EQ(r->session_id, "47bbf4cd-b0df-4768-ae56-c864daa6f05f");
    EXPECT_EQ(r->uuid, "fba2fdf6-49de-4bf5-89ca-a3773b7a06a4");
    EXPECT_EQ(r->raw_json, lines_of(data(success_stream)).back());

    auto f = claude::parse_result(data(offline_stream_no_retry));
    ASSERT_TRUE(f) << f.error();
    EXPECT_TRUE(f->is_api_error());
    EXPECT_EQ(f->session_id, "e6702197-e763-4c7c-bb4f-dc2ac0117b84");

    // CRLF line ends and blank lines change nothing.
    auto crlf = claude::parse_result(replace_all(data(success_stream), "\n", "\r\n\r\n"));
    ASSERT_TRUE(crlf) << crlf.error();
    EXPECT_EQ(crlf->uuid, r->uuid);
}

TEST(ClaudeParseResult, KilledStreamHasNoResult) {
    const auto text = data(offline_stream_killed);
    auto r = claude::parse_result(text);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), dt::errc::json_schema_mismatch);
    EXPECT_NE(r.error().message().find("no result event"), std::string::npos) << r.error();
    EXPECT_NE(r.error().message().find("'system'"), std::string::npos) << r.error();
    EXPECT_EQ(r.error().operation(), "claude::parse_result");
    EXPECT_EQ(r.error().body_excerpt().substr(0, 32), text.substr(0, 32));
}

// --- parse_result on hostile input -----------------------------------------------------------

TEST(ClaudeParseResult, EmptyAndBlankOutput) {
    for (const char* text : {"", " ", "\n", "\r\n\r\n", "\t \n  "}) {
        auto r = claude::parse_result(text);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error(), dt::errc::json_parse_error);
        EXPECT_NE(r.error().message().find("printed nothing"), std::string::npos);
    }
}

TEST(ClaudeParseResult, NonJsonKeepsTheOutputInTheError) {
    const std::string text = "Error: Invalid API key \xc2\xb7 Please run /login\n";
    auto r = claude::parse_result(text);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), dt::errc::json_parse_error);
    EXPECT_EQ(r.error().body_excerpt(), text);
    EXPECT_EQ(r.error().operation(), "claude::parse_result");
    // The answer of a text-format run is not JSON either; the caller still has it.
    EXPECT_EQ(claude::parse_result("4").error(), dt::errc::json_schema_mismatch);
    EXPECT_EQ(claude::parse_result("The answer is 4.").error(), dt::errc::json_parse_error);
    // Words that start like JSON atoms are not JSON.
    for (const char* text : {"npm warn", "nullx", "null x", "tru", "4 2", "[1,2", "-"})
        EXPECT_EQ(claude::parse_result(text).error(), dt::errc::json_parse_error) << text;
    // Long output is cut in the excerpt; control bytes are replaced.
    auto big = claude::parse_result(std::string(100000, 'z') + "\x1b[31m");
    ASSERT_FALSE(big);
    EXPECT_LE(big.error().body_excerpt().size(), 520u);
    EXPECT_EQ(big.error().body_excerpt().find('\x1b'), std::string::npos);
}

TEST(ClaudeParseResult, EveryTruncationIsATypedError) {
    const auto text = data(success_json);
    const auto full = text.substr(0, text.find_last_not_of('\n') + 1);
    for (std::size_t n = 0; n < full.size(); ++n) {
        auto r = claude::parse_result(full.substr(0, n));
        ASSERT_FALSE(r) << "prefix " << n << " parsed";
        EXPECT_TRUE(r.error() == dt::errc::json_parse_error ||
                    r.error() == dt::errc::json_schema_mismatch)
            << "prefix " << n << ": " << r.error();
    }
    EXPECT_TRUE(claude::parse_result(full));
    // The same for the stream: cut inside the result line, the earlier events are no result.
    const auto stream = data(success_stream);
    const auto last = stream.rfind('{');
    for (std::size_t n = last; n < stream.size() - 2; n += 7) {
        auto r = claude::parse_result(stream.substr(0, n));
        ASSERT_FALSE(r) << "prefix " << n;
        EXPECT_TRUE(r.error() == dt::errc::json_parse_error ||
                    r.error() == dt::errc::json_schema_mismatch)
            << r.error();
    }
}

TEST(ClaudeParseResult, JsonThatIsNotAResult) {
    for (const char* text :
         {R"({"type":"assistant","message":{"content":[]}})", "[1,2,3]", "42", R"("result")",
          "null", R"({"foo":1})", R"({"type":7})", R"({"type":null,"result":"4"})", "{}"}) {
        auto r = claude::parse_result(text);
        ASSERT_FALSE(r) << text;
        EXPECT_EQ(r.error(), dt::errc::json_schema_mismatch) << text << ": " << r.error();
    }
}

TEST(ClaudeParseResult, WrongTypesNameTheField) {
    const std::pair<const char*, const char*> cases[] = {
        {R"({"type":"result","is_error":"yes"})", "is_error"},
        {R"({"type":"result","num_turns":"1"})", "num_turns"},
        {R"({"type":"result","result":42})", "result event.result"},
        {R"({"type":"result","total_cost_usd":"0.1"})", "total_cost_usd"},
        {R"({"type":"result","usage":[1]})", "usage"},
        {R"({"type":"result","usage":{"input_tokens":true}})", "usage.input_tokens"},
        {R"({"type":"result","modelUsage":{"m":{"costUSD":"x"}}})", "modelUsage.m.costUSD"},
        {R"({"type":"result","permission_denials":{}})", "permission_denials"},
        {R"({"type":"result","session_id":{"a":1}})", "session_id"},
        {R"({"type":"result","api_error_status":"500"})", "api_error_status"},
    };
    for (const auto& [text, field] : cases) {
        auto r = claude::parse_result(text);
        ASSERT_FALSE(r) << text;
        EXPECT_EQ(r.error(), dt::errc::json_schema_mismatch) << text << ": " << r.error();
        EXPECT_NE(r.error().message().find(field), std::string::npos) << r.error();
    }
}

TEST(ClaudeParseResult, HugeNumbers) {
    for (const char* text :
         {R"({"type":"result","num_turns":99999999999999999999})",
          R"({"type":"result","num_turns":3000000000})", R"({"type":"result","duration_ms":1e300})",
          R"({"type":"result","duration_ms":-1e19})",
          R"({"type":"result","usage":{"output_tokens":18446744073709551616}})",
          R"({"type":"result","api_error_status":1e10})"}) {
        auto r = claude::parse_result(text);
        ASSERT_FALSE(r) << text;
        EXPECT_EQ(r.error(), dt::errc::json_schema_mismatch) << text << ": " << r.error();
        EXPECT_NE(r.error().message().find("out of range"), std::string::npos) << r.error();
    }
    auto bad = claude::parse_result(R"({"type":"result","total_cost_usd":1e400})");
    ASSERT_FALSE(bad);
    EXPECT_TRUE(bad.error() == dt::errc::json_parse_error ||
                bad.error() == dt::errc::json_schema_mismatch)
        << bad.error();
    // Large but representable values, and JavaScript's fractional milliseconds.
    auto ok = claude::parse_result(
        R"({"type":"result","duration_ms":9007199254740993,"duration_api_ms":12.7,)"
        R"("total_cost_usd":1e300,"num_turns":2147483647})");
    ASSERT_TRUE(ok) << ok.error();
    EXPECT_EQ(ok->duration_ms, 9007199254740993);
    EXPECT_EQ(ok->duration_api_ms, 12);
    EXPECT_EQ(ok->total_cost_usd, 1e300);
    EXPECT_EQ(ok->num_turns, 2147483647);
}

TEST(ClaudeParseResult, MissingNullAndUnknownFields) {
    auto bare = claude::parse_result(R"({"type":"result"})");
    ASSERT_TRUE(bare) << bare.error();
    EXPECT_EQ(bare->subtype, "");
    EXPECT_FALSE(bare->failed());
    EXPECT_EQ(bare->num_turns, 0);
    EXPECT_EQ(bare->result, "");

    auto nulls = claude::parse_result(
        R"({"type":"result","subtype":"success","is_error":null,"result":null,)"
        R"("api_error_status":null,"usage":null,"modelUsage":null,"num_turns":null,)"
        R"("permission_denials":null,"errors":null,"total_cost_usd":null,"stop_reason":null})");
    ASSERT_TRUE(nulls) << nulls.error();
    EXPECT_FALSE(nulls->is_error);
    EXPECT_FALSE(nulls->api_error_status);

    auto extra = claude::parse_result(
        R"({"future":{"deep":[1,{"x":[null,true]}]},"type":"result","result":"ok\u00e9\n\"q\"",)"
        R"("usage":{"input_tokens":5,"brand_new":{"a":[]}},"flag":true,"n":1.5e3})");
    ASSERT_TRUE(extra) << extra.error();
    EXPECT_EQ(extra->result, "ok\xc3\xa9\n\"q\"");
    EXPECT_EQ(extra->usage.input_tokens, 5);
}

TEST(ClaudeParseResult, ErrorSubtypes) {
    auto turns = claude::parse_result(
        R"({"type":"result","subtype":"error_max_turns","is_error":false,"num_turns":3,)"
        R"("session_id":"s1","total_cost_usd":0.02})");
    ASSERT_TRUE(turns) << turns.error();
    EXPECT_TRUE(turns->failed());
    EXPECT_FALSE(turns->is_api_error());
    EXPECT_EQ(turns->failure_message(), "Claude Code stopped at the turn limit after 3 turns");

    auto exec = claude::parse_result(
        R"({"type":"result","subtype":"error_during_execution","is_error":true,)"
        R"("errors":["Tool crashed",{"code":7}]})");
    ASSERT_TRUE(exec) << exec.error();
    EXPECT_TRUE(exec->failed());
    EXPECT_FALSE(exec->is_api_error());
    ASSERT_EQ(exec->errors.size(), 2u);
    EXPECT_EQ(exec->errors[1], R"({"code":7})");
    EXPECT_EQ(exec->failure_message(),
              R"(Claude Code failed during execution: Tool crashed; {"code":7})");

    auto status = claude::parse_result(
        R"({"type":"result","subtype":"success","is_error":true,"api_error_status":401,)"
        R"("result":"Invalid API key \u00b7 Please run /login"})");
    ASSERT_TRUE(status) << status.error();
    EXPECT_TRUE(status->is_api_error());
    EXPECT_EQ(status->api_error_status, 401);
    EXPECT_EQ(status->failure_message(),
              "Claude Code reported an API failure (HTTP 401): Invalid API key \xc2\xb7 Please "
              "run /login");
}

TEST(ClaudeParseResult, DenialsAndStructuredOutputKeepTheirJson) {
    auto r = claude::parse_result(
        R"({"type":"result","subtype":"success","result":"done","permission_denials":[)"
        R"({"tool_name":"Bash","tool_use_id":"toolu_01","tool_input":{"command":"rm -rf /"}},)"
        R"({"tool_name":"Write","tool_use_id":"toolu_02","tool_input":{ "file_path" : "/etc/x" }}],)"
        R"("structured_output":{"name":"n"}})");
    ASSERT_TRUE(r) << r.error();
    ASSERT_EQ(r->permission_denials.size(), 2u);
    EXPECT_EQ(r->permission_denials[0].tool_name, "Bash");
    EXPECT_EQ(r->permission_denials[0].tool_use_id, "toolu_01");
    EXPECT_EQ(r->permission_denials[0].tool_input, R"({"command":"rm -rf /"})");
    EXPECT_EQ(r->permission_denials[1].tool_input, R"({ "file_path" : "/etc/x" })");
    EXPECT_EQ(r->structured_output, R"({"name":"n"})");
}

TEST(ClaudeParseResult, ResultAmongLogNoise) {
    const auto result = data(success_json);
    const std::string noise =
        "npm warn config production Use `--omit=dev` instead.\n"
        "Debugger attached.\n"
        "{ this is not json\n"
        "\n";
    auto before = claude::parse_result(noise + result);
    ASSERT_TRUE(before) << before.error();
    EXPECT_EQ(before->result, "4");
    auto after =
        claude::parse_result(result + "Waiting for the debugger to disconnect...\n{oops\n");
    ASSERT_TRUE(after) << after.error();
    EXPECT_EQ(after->result, "4");
    // Two results (e.g. two runs' output concatenated): the last one wins.
    auto two = claude::parse_result(R"({"type":"result","result":"first"})"
                                    "\n"
                                    R"({"type":"result","result":"second"})");
    ASSERT_TRUE(two) << two.error();
    EXPECT_EQ(two->result, "second");
    // A result with trailing bytes on its line is malformed.
    auto trailing = claude::parse_result(R"({"type":"result","result":"x"} trailing)");
    ASSERT_FALSE(trailing);
    EXPECT_EQ(trailing.error(), dt::errc::json_parse_error);
    // A bad result line is reported, not skipped for an older one.
    auto bad_last = claude::parse_result(result + R"({"type":"result","num_turns":"x"})");
    ASSERT_FALSE(bad_last);
    EXPECT_EQ(bad_last.error(), dt::errc::json_schema_mismatch);
}

TEST(ClaudeParseResult, PrettyPrintedDocument) {
    auto r = claude::parse_result(
        "{\n  \"type\": \"result\",\n  \"subtype\": \"success\",\n  \"result\": \"4\",\n"
        "  \"usage\": {\n    \"input_tokens\": 3\n  }\n}\n");
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->result, "4");
    EXPECT_EQ(r->usage.input_tokens, 3);
}

// --- stream-json events ----------------------------------------------------------------------

TEST(ClaudeEvents, RealSuccessStream) {
    const auto lines = lines_of(data(success_stream));
    ASSERT_EQ(lines.size(), 3u);
    auto init = claude::parse_event(lines[0]);
    ASSERT_TRUE(init) << init.error();
    ASSERT_TRUE(std::holds_alternative<claude::system_event>(*init));
    const auto& s = std::get<claude::system_event>(*init);
    EXPECT_EQ(s.subtype, "init");
    EXPECT_EQ(s.session_id, "47bbf4cd-b0df-4768-ae56-c864daa6f05f");
    EXPECT_EQ(s.cwd, "<cwd>");
    EXPECT_EQ(s.model, "claude-sonnet-5");
    ASSERT_EQ(s.tools.size(), 25u);
    EXPECT_EQ(s.tools[1], "Bash");
    EXPECT_TRUE(s.mcp_servers.empty());
    EXPECT_EQ(s.permission_mode, "default");
    EXPECT_EQ(s.api_key_source, "ANTHROPIC_API_KEY");
    EXPECT_EQ(s.claude_code_version, "2.1.197");
    EXPECT_EQ(s.uuid, "2d6cd0a2-6f37-4677-8837-4d7abcaaa588");
    EXPECT_EQ(s.raw_json, lines[0]);
    EXPECT_EQ(claude::event_type(*init), "system");

    auto msg = claude::parse_event(lines[1]);
    ASSERT_TRUE(msg) << msg.error();
    ASSERT_TRUE(std::holds_alternative<claude::assistant_event>(*msg));
    const auto& a = std::get<claude::assistant_event>(*msg);
    EXPECT_EQ(a.message_id, "msg_fake_6");
    EXPECT_EQ(a.model, "claude-sonnet-5");
    EXPECT_EQ(a.text(), "4");
    ASSERT_EQ(a.content.size(), 1u);
    EXPECT_TRUE(std::holds_alternative<claude::text_block>(a.content[0]));
    EXPECT_EQ(a.stop_reason, "");
    EXPECT_EQ(a.usage.input_tokens, 12);
    EXPECT_EQ(a.usage.output_tokens, 1);
    EXPECT_EQ(a.parent_tool_use_id, "");
    EXPECT_EQ(a.session_id, "47bbf4cd-b0df-4768-ae56-c864daa6f05f");
    EXPECT_EQ(a.error, "");
    EXPECT_TRUE(a.tool_uses().empty());

    auto res = claude::parse_event(lines[2]);
    ASSERT_TRUE(res) << res.error();
    ASSERT_TRUE(std::holds_alternative<claude::result_event>(*res));
    EXPECT_EQ(std::get<claude::result_event>(*res).result, "4");
    EXPECT_EQ(claude::raw_json(*res), lines[2]);
}

TEST(ClaudeEvents, ApiFailureStreams) {
    const auto lines = lines_of(data(offline_stream_no_retry));
    ASSERT_EQ(lines.size(), 3u);
    auto msg = claude::parse_event(lines[1]);
    ASSERT_TRUE(msg) << msg.error();
    const auto& a = std::get<claude::assistant_event>(*msg);
    EXPECT_EQ(a.model, "<synthetic>");
    EXPECT_EQ(a.error, "server_error");
    EXPECT_EQ(a.stop_reason, "stop_sequence");
    EXPECT_EQ(a.text(), "API Error: Unable to connect to API (FailedToOpenSocket)");
    EXPECT_TRUE(std::get<claude::result_event>(claude::parse_event(lines[2]).value()).is_error);

    const auto killed = lines_of(data(offline_stream_killed));
    ASSERT_EQ(killed.size(), 10u);
    for (std::size_t i = 1; i < killed.size(); ++i) {
        auto e = claude::parse_event(killed[i]);
        ASSERT_TRUE(e) << e.error();
        const auto& s = std::get<claude::system_event>(*e);
        EXPECT_EQ(s.subtype, "api_retry");
        EXPECT_EQ(s.attempt, static_cast<int>(i));
        EXPECT_EQ(s.max_retries, 10);
        EXPECT_FALSE(s.error_status);
        EXPECT_EQ(s.error, "unknown");
    }
    EXPECT_DOUBLE_EQ(
        std::get<claude::system_event>(claude::parse_event(killed[1]).value()).retry_delay_ms,
        526.8290608194176);
}

namespace {
// Hand-written in the shape of the CLI's tool-use events (the captures have no tool calls).
const std::string tool_use_line =
    R"({"type":"assistant","message":{"id":"msg_01","type":"message","role":"assistant",)"
    R"("model":"claude-sonnet-5","content":[{"type":"thinking","thinking":"Let me look.",)"
    R"("signature":"c2ln"},{"type":"text","text":"Listing "},{"type":"text","text":"files."},)"
    R"({"type":"tool_use","id":"toolu_01","name":"Bash","input":{"command":"ls -la",)"
    R"("description":"List files"}},{"type":"redacted_thinking","data":"abc"}],)"
    R"("stop_reason":"tool_use","usage":{"input_tokens":7,"output_tokens":30}},)"
    R"("parent_tool_use_id":null,"session_id":"s-1","uuid":"u-1"})";
const std::string tool_result_line =
    R"({"type":"user","message":{"role":"user","content":[{"tool_use_id":"toolu_01",)"
    R"("type":"tool_result","content":"a.txt\nb.txt","is_error":false},{"type":"tool_result",)"
    R"("tool_use_id":"toolu_02","is_error":true,"content":[{"type":"text","text":"line 1"},)"
    R"({"type":"image","source":{}},{"type":"text","text":"line 2"}]}]},)"
    R"("parent_tool_use_id":"toolu_00","session_id":"s-1","uuid":"u-2",)"
    R"("tool_use_result":{"stdout":"a.txt\nb.txt","stderr":""}})";
}  // namespace

TEST(ClaudeEvents, ToolUseAndToolResult) {
    auto a = claude::parse_event(tool_use_line);
    ASSERT_TRUE(a) << a.error();
    const auto& msg = std::get<claude::assistant_event>(*a);
    ASSERT_EQ(msg.content.size(), 5u);
    EXPECT_EQ(std::get<claude::thinking_block>(msg.content[0]).thinking, "Let me look.");
    EXPECT_EQ(msg.text(), "Listing files.");
    ASSERT_EQ(msg.tool_uses().size(), 1u);
    EXPECT_EQ(msg.tool_uses()[0]->id, "toolu_01");
    EXPECT_EQ(msg.tool_uses()[0]->name, "Bash");
    EXPECT_EQ(msg.tool_uses()[0]->input, R"({"command":"ls -la","description":"List files"})");
    const auto& unknown = std::get<claude::unknown_block>(msg.content[4]);
    EXPECT_EQ(unknown.type, "redacted_thinking");
    EXPECT_EQ(unknown.raw_json, R"({"type":"redacted_thinking","data":"abc"})");
    EXPECT_EQ(msg.stop_reason, "tool_use");
    EXPECT_EQ(msg.usage.output_tokens, 30);

    auto u = claude::parse_event(tool_result_line);
    ASSERT_TRUE(u) << u.error();
    const auto& user = std::get<claude::user_event>(*u);
    ASSERT_EQ(user.tool_results().size(), 2u);
    EXPECT_EQ(user.tool_results()[0]->tool_use_id, "toolu_01");
    EXPECT_EQ(user.tool_results()[0]->content, "a.txt\nb.txt");
    EXPECT_FALSE(user.tool_results()[0]->is_error);
    EXPECT_EQ(user.tool_results()[1]->tool_use_id, "toolu_02");
    EXPECT_EQ(user.tool_results()[1]->content, "line 1\nline 2");
    EXPECT_TRUE(user.tool_results()[1]->is_error);
    EXPECT_EQ(user.parent_tool_use_id, "toolu_00");
    EXPECT_EQ(user.uuid, "u-2");

    auto replay = claude::parse_event(
        R"({"type":"user","message":{"role":"user","content":"What is 2+2?"},"session_id":"s"})");
    ASSERT_TRUE(replay) << replay.error();
    const auto& r = std::get<claude::user_event>(*replay);
    ASSERT_EQ(r.content.size(), 1u);
    EXPECT_EQ(std::get<claude::text_block>(r.content[0]).text, "What is 2+2?");
}

TEST(ClaudeEvents, UnknownTypesKeepTheirLine) {
    const std::string line =
        R"({"type":"stream_event","event":{"type":"content_block_delta","delta":{"text":"4"}},)"
        R"("session_id":"s-9","subtype":"delta","uuid":"u"})";
    auto e = claude::parse_event(line + "\r\n");
    ASSERT_TRUE(e) << e.error();
    const auto& u = std::get<claude::unknown_event>(*e);
    EXPECT_EQ(u.type, "stream_event");
    EXPECT_EQ(u.subtype, "delta");
    EXPECT_EQ(u.session_id, "s-9");
    EXPECT_EQ(u.raw_json, line);
    EXPECT_EQ(claude::event_type(*e), "stream_event");
    EXPECT_EQ(claude::raw_json(*e), line);
    auto sys = claude::parse_event(R"({"type":"system","subtype":"compact_boundary","x":[1]})");
    ASSERT_TRUE(sys) << sys.error();
    EXPECT_EQ(std::get<claude::system_event>(*sys).subtype, "compact_boundary");
}

TEST(ClaudeEvents, AnUnknownEventThatBreaksInsideIsRefusedNotKept) {
    // Balanced braces around broken members (an unquoted key, a raw control byte in a string,
    // nested garbage): the line is not JSON, whatever its type says. The fuzzer found the first.
    for (std::string_view line :
         {R"({"type":"r~esult","subtype":"success","x":1,ror: Unable to connect"})",
          "{\"type\":\"x\",\"subtype\":\"a\\u0001\",\"b\":\"c\x01d\"}",
          R"({"type":"x","nested":{"a":[1,,2]},"session_id":"s"})"}) {
        auto e = claude::parse_event(line);
        ASSERT_FALSE(e) << line;
        EXPECT_EQ(e.error(), dt::errc::json_parse_error) << e.error();
    }
}

TEST(ClaudeEvents, DeepNestingIsRefusedWithoutExhaustingTheStack) {
    // 100,000 open brackets in an unknown event: an error, not a stack overflow.
    std::string line = R"({"type":"x","a":)" + std::string(100'000, '[');
    line += std::string(100'000, ']') + "}";
    auto e = claude::parse_event(line);
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error(), dt::errc::json_parse_error) << e.error();
    // Nesting a real event needs is fine.
    std::string ok = R"({"type":"x","a":)" + std::string(100, '[') + std::string(100, ']') + "}";
    EXPECT_TRUE(claude::parse_event(ok)) << ok;
}

TEST(ClaudeEvents, HostileLines) {
    const std::pair<const char*, dt::errc> cases[] = {
        {"", dt::errc::json_parse_error},
        {"   \r", dt::errc::json_parse_error},
        {"npm warn deprecated", dt::errc::json_parse_error},
        {R"({"type":"stream_event","event":{)", dt::errc::json_parse_error},
        {R"({"type":"stream_event"} {})", dt::errc::json_parse_error},
        {R"({"type":"assistant","message":{"content":[{"type":"text","text":"x"})",
         dt::errc::json_parse_error},
        {R"({"type":"assistant","message":{"content":"x")", dt::errc::json_parse_error},
        {"[]", dt::errc::json_schema_mismatch},
        {R"({"event":1})", dt::errc::json_schema_mismatch},
        {R"({"type":1})", dt::errc::json_schema_mismatch},
        {R"({"type":"system","attempt":"one"})", dt::errc::json_schema_mismatch},
        {R"({"type":"system","tools":[1]})", dt::errc::json_schema_mismatch},
        {R"({"type":"assistant","message":[]})", dt::errc::json_schema_mismatch},
        {R"({"type":"assistant","message":{"content":[1]}})", dt::errc::json_schema_mismatch},
        {R"({"type":"assistant","message":{"content":[{"type":3}]}})",
         dt::errc::json_schema_mismatch},
        {R"({"type":"assistant","message":{"content":[{"type":"text","text":5}]}})",
         dt::errc::json_schema_mismatch},
        {R"({"type":"user","message":{"content":[{"type":"tool_result","is_error":"no"}]}})",
         dt::errc::json_schema_mismatch},
        {R"({"type":"result","num_turns":1e30})", dt::errc::json_schema_mismatch},
    };
    for (const auto& [line, code] : cases) {
        auto e = claude::parse_event(line);
        ASSERT_FALSE(e) << line;
        EXPECT_EQ(e.error(), code) << line << ": " << e.error();
        EXPECT_EQ(e.error().operation(), "claude::parse_event");
    }
    auto named = claude::parse_event(
        R"({"type":"assistant","message":{"content":[{"type":"text","text":5}]}})");
    EXPECT_NE(named.error().message().find("event.message.content[0].text"), std::string::npos)
        << named.error();
}

// --- incremental parsing ---------------------------------------------------------------------

namespace {

std::vector<std::string> drain(claude::event_parser& p,
                               std::vector<std::string>* errors = nullptr) {
    std::vector<std::string> got;
    for (;;) {
        auto e = p.next();
        if (!e) {
            if (errors != nullptr) errors->push_back(e.error().message());
            continue;
        }
        if (!*e) break;
        got.push_back(std::string(claude::event_type(**e)) + " " + claude::raw_json(**e));
    }
    return got;
}

std::vector<std::string> expected_events(const std::string& text) {
    std::vector<std::string> out;
    for (const auto& line : lines_of(text)) {
        auto e = claude::parse_event(line);
        EXPECT_TRUE(e) << e.error();
        if (e) out.push_back(std::string(claude::event_type(*e)) + " " + claude::raw_json(*e));
    }
    return out;
}

}  // namespace

TEST(ClaudeEventParser, EverySplitPointGivesTheSameEvents) {
    for (const char* file : {success_stream, offline_stream_no_retry, offline_stream_killed}) {
        const auto text = data(file);
        const auto want = expected_events(text);
        for (std::size_t cut = 0; cut <= text.size(); ++cut) {
            claude::event_parser p;
            p.feed(text.substr(0, cut));
            auto got = drain(p);
            p.feed(text.substr(cut));
            for (auto& g : drain(p))
                got.push_back(std::move(g));
            p.finish();
            EXPECT_TRUE(drain(p).empty());
            EXPECT_TRUE(p.done());
            ASSERT_EQ(got, want) << file << " cut at " << cut;
        }
    }
}

TEST(ClaudeEventParser, ByteByByteWithCrlfAndBlankLines) {
    const auto text = replace_all(data(success_stream), "\n", "\r\n\r\n  \r\n");
    const auto want = expected_events(data(success_stream));
    claude::event_parser p;
    std::vector<std::string> got;
    std::vector<std::string> errors;
    for (char c : text) {
        p.feed(std::string_view(&c, 1));
        for (auto& g : drain(p, &errors))
            got.push_back(std::move(g));
    }
    p.finish();
    EXPECT_TRUE(drain(p, &errors).empty());
    EXPECT_EQ(got, want);
    EXPECT_TRUE(errors.empty());
}

TEST(ClaudeEventParser, LastLineWithoutNewlineNeedsFinish) {
    const auto lines = lines_of(data(success_stream));
    claude::event_parser p;
    p.feed(lines[0] + "\n" + lines[1] + "\n" + lines[2]);
    EXPECT_EQ(drain(p).size(), 2u);
    EXPECT_FALSE(p.done());
    p.finish();
    const auto last = drain(p);
    ASSERT_EQ(last.size(), 1u);
    EXPECT_EQ(last[0].substr(0, 7), "result ");
    EXPECT_TRUE(p.done());
}

TEST(ClaudeEventParser, NoiseLinesAreErrorsAndParsingGoesOn) {
    const auto lines = lines_of(data(success_stream));
    claude::event_parser p;
    p.feed("Debugger attached.\n" + lines[0] + "\n{\"type\":\"assistant\",\"mess\n" + lines[2] +
           "\n");
    std::vector<std::string> errors;
    const auto got = drain(p, &errors);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].substr(0, 7), "system ");
    EXPECT_EQ(got[1].substr(0, 7), "result ");
    EXPECT_EQ(errors.size(), 2u);
}

TEST(ClaudeEventParser, OverlongLineIsSkipped) {
    claude::event_parser p(64);
    p.feed(R"({"type":"x","pad":")");
    p.feed(std::string(100, 'a'));  // the line is now over the limit, still unterminated
    auto e = p.next();
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error(), dt::errc::body_too_large);
    p.feed(std::string(1000, 'b') + "\"}\n" + R"({"type":"y"})" + "\n");
    std::vector<std::string> errors;
    const auto got = drain(p, &errors);
    EXPECT_TRUE(errors.empty());
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0], R"(y {"type":"y"})");
    // A complete line over the limit, in one chunk.
    p.feed(std::string(65, ' ') + "\n" + R"({"type":"z"})" + "\n");
    auto big = p.next();
    ASSERT_FALSE(big);
    EXPECT_EQ(big.error(), dt::errc::body_too_large);
    const auto rest = drain(p);
    ASSERT_EQ(rest.size(), 1u);
    EXPECT_EQ(rest[0], R"(z {"type":"z"})");
}

TEST(ClaudeLineSplitter, SplitsAnywhere) {
    claude::line_splitter s;
    s.feed("a\r");
    EXPECT_FALSE(s.next().value());
    s.feed("\n\nb");
    EXPECT_EQ(s.next().value(), "a");
    EXPECT_EQ(s.next().value(), "");
    EXPECT_FALSE(s.next().value());
    EXPECT_EQ(s.buffered(), 1u);
    s.feed("c\r");
    s.finish();
    EXPECT_EQ(s.next().value(), "bc");
    EXPECT_FALSE(s.next().value());
    EXPECT_TRUE(s.done());
}
