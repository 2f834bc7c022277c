// SPDX-License-Identifier: Apache-2.0
// The Messages API stand-in: request routing, the scripted model, JSON and SSE replies.
#include "messages_api.hpp"

#include "http_server.hpp"

#include <daytona/json/writer.hpp>

#include <simdjson.h>

#include <atomic>
#include <deque>
#include <iostream>

namespace daytona::emulator {

struct messages_api::state {
    messages_api_options opts;
    mutable std::mutex mu;
    std::deque<recorded_request> recorded;
    std::atomic<std::uint64_t> counter{0};
};

namespace messages_impl {

/// What the scripted model read from a request.
struct conversation {
    std::string model;
    bool stream = false;
    bool has_tools = false;
    /// `output_config.format` asks for JSON (the CLI's title requests).
    bool structured = false;
    /// The last user message answers a tool call.
    bool tool_result = false;
    bool tool_error = false;
    std::string tool_output;
    /// The text of the last user message, without <system-reminder> blocks.
    std::string prompt;
    /// User messages that carry a prompt (not tool results).
    int user_turns = 0;
};

/// What the model answers.
struct answer {
    enum class kind { text, tool_use, error } what = kind::text;
    std::string text;     // text
    std::string command;  // tool_use (Bash)
    int status = 200;     // error
    std::string error_type, error_message;
};

std::string error_json(std::string_view type, std::string_view message) {
    std::string out;
    json::writer w(out);
    w.begin_object().member("type", "error").key("error").begin_object();
    w.member("type", type).member("message", message).end_object().end_object();
    return out;
}

bool is_reminder(std::string_view text) {
    return text.starts_with("<system-reminder>");
}

/// The text blocks of a message's content (a string, or an array of blocks).
void read_user_content(simdjson::dom::element content, bool& has_prompt, std::string& prompt,
                       conversation& conv, bool last) {
    std::string_view s;
    if (!content.get_string().get(s)) {
        has_prompt = true;
        if (last) prompt.assign(s);
        return;
    }
    simdjson::dom::array blocks;
    if (content.get_array().get(blocks)) return;
    for (auto b : blocks) {
        std::string_view type;
        if (b["type"].get_string().get(type)) continue;
        if (type == "text") {
            std::string_view text;
            if (b["text"].get_string().get(text) || is_reminder(text)) continue;
            has_prompt = true;
            if (last) prompt.append(text);
        } else if (type == "tool_result" && last) {
            conv.tool_result = true;
            bool err = false;
            if (!b["is_error"].get_bool().get(err) && err) conv.tool_error = true;
            simdjson::dom::element c;
            if (b["content"].get(c)) continue;
            std::string_view cs;
            simdjson::dom::array parts;
            if (!c.get_string().get(cs)) {
                conv.tool_output.append(cs);
            } else if (!c.get_array().get(parts)) {
                for (auto p : parts) {
                    std::string_view t;
                    if (!p["text"].get_string().get(t)) conv.tool_output.append(t);
                }
            }
        }
    }
}

/// Reads the request; an error message when it is not a valid Messages request.
std::optional<std::string> read_conversation(const std::string& body, conversation& conv) {
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(body).get(doc)) return "the body is not valid JSON";
    std::string_view model;
    if (doc["model"].get_string().get(model)) return "model: Field required";
    conv.model.assign(model);
    std::int64_t max_tokens = 0;
    if (doc["max_tokens"].get_int64().get(max_tokens) || max_tokens < 1)
        return "max_tokens: Field required";
    bool stream = false;
    if (!doc["stream"].get_bool().get(stream)) conv.stream = stream;
    simdjson::dom::array tools;
    if (!doc["tools"].get_array().get(tools)) conv.has_tools = tools.size() > 0;
    simdjson::dom::element format;
    if (!doc.at_pointer("/output_config/format").get(format)) conv.structured = true;
    simdjson::dom::array messages;
    if (doc["messages"].get_array().get(messages) || messages.size() == 0)
        return "messages: at least one message is required";
    // The CLI may put a "system" message after the last user message.
    std::size_t n = 0, i = 0;
    for (auto m : messages) {
        ++i;
        std::string_view role;
        if (m["role"].get_string().get(role)) return "messages: each message needs a role";
        if (role == "user") n = i;
    }
    i = 0;
    for (auto m : messages) {
        ++i;
        std::string_view role;
        if (m["role"].get_string().get(role) || role != "user") continue;
        simdjson::dom::element content;
        if (m["content"].get(content)) continue;
        bool has_prompt = false;
        read_user_content(content, has_prompt, conv.prompt, conv, i == n);
        if (has_prompt) ++conv.user_turns;
    }
    return std::nullopt;
}

/// `[[name: value]]` in the prompt: the value, trimmed.
std::optional<std::string> directive(std::string_view prompt, std::string_view name) {
    const std::string open = "[[" + std::string(name) + ":";
    const auto at = prompt.find(open);
    if (at == std::string_view::npos) return std::nullopt;
    const auto begin = at + open.size();
    const auto end = prompt.find("]]", begin);
    if (end == std::string_view::npos) return std::nullopt;
    auto v = prompt.substr(begin, end - begin);
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
        v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t'))
        v.remove_suffix(1);
    return std::string(v);
}

answer decide(const conversation& conv) {
    answer a;
    if (conv.tool_result) {
        a.text = (conv.tool_error ? "Tool error: " : "Tool result: ") + conv.tool_output;
        return a;
    }
    if (conv.structured && !conv.has_tools) {
        a.text = R"({"title":"Scripted session"})";
        return a;
    }
    if (auto e = directive(conv.prompt, "error")) {
        a.what = answer::kind::error;
        if (*e == "500") {
            a.status = 500;
            a.error_type = "api_error";
            a.error_message = "Internal server error";
        } else if (*e == "401") {
            a.status = 401;
            a.error_type = "authentication_error";
            a.error_message = "invalid x-api-key";
        } else {
            a.status = 529;
            a.error_type = "overloaded_error";
            a.error_message = "Overloaded";
        }
        return a;
    }
    if (auto cmd = directive(conv.prompt, "bash"); cmd && conv.has_tools) {
        a.what = answer::kind::tool_use;
        a.command = *cmd;
        return a;
    }
    a.text = "[turn " + std::to_string(std::max(1, conv.user_turns)) + "] " + conv.prompt;
    return a;
}

std::string tool_input(const answer& a) {
    std::string out;
    json::writer w(out);
    w.begin_object().member("command", a.command).member("description", "Run a shell command");
    w.end_object();
    return out;
}

void write_usage(json::writer& w, std::int64_t in, std::int64_t out) {
    w.key("usage").begin_object().member("input_tokens", in).member("output_tokens", out);
    w.member("cache_creation_input_tokens", std::int64_t{0});
    w.member("cache_read_input_tokens", std::int64_t{0});
    w.member("service_tier", "standard").end_object();
}

/// The message, whole (content filled) or as message_start has it (content empty).
std::string message_json(const answer& a, const conversation& conv, std::uint64_t n,
                         std::int64_t in_tokens, std::int64_t out_tokens, bool whole) {
    std::string out;
    json::writer w(out);
    w.begin_object().member("id", "msg_standin_" + std::to_string(n));
    w.member("type", "message").member("role", "assistant").member("model", conv.model);
    w.key("content").begin_array();
    if (whole) {
        if (a.what == answer::kind::tool_use) {
            w.begin_object().member("type", "tool_use");
            w.member("id", "toolu_standin_" + std::to_string(n)).member("name", "Bash");
            w.key("input").raw(tool_input(a)).end_object();
        } else {
            w.begin_object().member("type", "text").member("text", a.text).end_object();
        }
    }
    w.end_array();
    const char* stop = a.what == answer::kind::tool_use ? "tool_use" : "end_turn";
    if (whole)
        w.member("stop_reason", stop);
    else
        w.key("stop_reason").null();
    w.key("stop_sequence").null();
    write_usage(w, in_tokens, whole ? out_tokens : 1);
    w.end_object();
    return out;
}

/// Pieces of at most `n` bytes that never split a UTF-8 sequence.
std::vector<std::string_view> pieces(std::string_view s, std::size_t n) {
    std::vector<std::string_view> out;
    while (!s.empty()) {
        std::size_t k = std::min(n, s.size());
        while (k < s.size() && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80)
            ++k;
        out.push_back(s.substr(0, k));
        s.remove_prefix(k);
    }
    return out;
}

std::string sse(std::string_view event, std::string_view data) {
    std::string out = "event: ";
    out.append(event).append("\ndata: ").append(data).append("\n\n");
    return out;
}

/// The server-sent events of a streamed message, one string per event.
std::vector<std::string> stream_events(const answer& a, const conversation& conv, std::uint64_t n,
                                       std::int64_t in_tokens, std::int64_t out_tokens) {
    std::vector<std::string> ev;
    {
        std::string d = R"({"type":"message_start","message":)";
        d += message_json(a, conv, n, in_tokens, out_tokens, false);
        d += '}';
        ev.push_back(sse("message_start", d));
    }
    ev.push_back(sse("ping", R"({"type":"ping"})"));
    std::string start = R"({"type":"content_block_start","index":0,"content_block":)";
    json::writer w(start);
    const bool tool = a.what == answer::kind::tool_use;
    if (tool) {
        w.begin_object().member("type", "tool_use");
        w.member("id", "toolu_standin_" + std::to_string(n)).member("name", "Bash");
        w.key("input").begin_object().end_object().end_object();
    } else {
        w.begin_object().member("type", "text").member("text", "").end_object();
    }
    start += '}';
    ev.push_back(sse("content_block_start", start));
    const std::string input = tool ? tool_input(a) : std::string();
    for (auto piece : pieces(tool ? std::string_view(input) : std::string_view(a.text), 24)) {
        std::string d = R"({"type":"content_block_delta","index":0,"delta":)";
        json::writer dw(d);
        if (tool)
            dw.begin_object().member("type", "input_json_delta").member("partial_json", piece);
        else
            dw.begin_object().member("type", "text_delta").member("text", piece);
        dw.end_object();
        d += '}';
        ev.push_back(sse("content_block_delta", d));
    }
    ev.push_back(sse("content_block_stop", R"({"type":"content_block_stop","index":0})"));
    std::string delta = R"({"type":"message_delta","delta":{"stop_reason":")";
    delta += tool ? "tool_use" : "end_turn";
    delta += R"(","stop_sequence":null},"usage":{"output_tokens":)";
    delta += std::to_string(out_tokens) + "}}";
    ev.push_back(sse("message_delta", delta));
    ev.push_back(sse("message_stop", R"({"type":"message_stop"})"));
    return ev;
}

constexpr std::string_view models_json =
    R"({"data":[{"type":"model","id":"claude-sonnet-4-5","display_name":"stand-in",)"
    R"("created_at":"2025-01-01T00:00:00Z"}],"has_more":false,)"
    R"("first_id":"claude-sonnet-4-5","last_id":"claude-sonnet-4-5"})";

class api_handler final : public handler {
public:
    explicit api_handler(std::shared_ptr<messages_api::state> s) : state_(std::move(s)) {}

    asio::awaitable<void> handle(exchange& ex) override {
        if (auto r = co_await ex.read_body(); !r) {
            ex.close_after();
            reply bad{.status = 400, .body = "unreadable body\n"};
            co_await ex.respond(std::move(bad));
            co_return;
        }
        const std::uint64_t n = ++state_->counter;
        record(ex.request());
        std::vector<std::string> events;
        reply r = answer_request(ex, n, events);
        if (events.empty()) {
            co_await ex.respond(std::move(r));
            co_return;
        }
        if (auto started = co_await ex.begin_chunked(200, std::move(r.headers)); !started) {
            ex.close_after();
            co_return;
        }
        for (const auto& e : events)
            if (auto w = co_await ex.write_chunk(e); !w) {
                ex.close_after();
                co_return;
            }
        if (auto end = co_await ex.end_chunked(); !end) ex.close_after();
    }

private:
    static std::int64_t tokens(std::size_t bytes) {
        return static_cast<std::int64_t>(bytes / 4 + 1);
    }

    bool authorized(const http::fields& h) const {
        const auto& key = state_->opts.api_key;
        if (key.empty()) return true;
        if (h.get("x-api-key") == key) return true;
        return h.get("authorization") == "Bearer " + key;
    }

    static reply json_answer(std::uint64_t n, int status, std::string body) {
        reply r{.status = status, .body = std::move(body)};
        r.headers.set("Content-Type", "application/json");
        r.headers.set("request-id", "req_standin_" + std::to_string(n));
        return r;
    }

    void record(const http::incoming_request& req) {
        std::lock_guard lock(state_->mu);
        state_->recorded.push_back(recorded_request{req.method, req.target, req.headers, req.body});
        while (state_->recorded.size() > std::max<std::size_t>(1, state_->opts.max_recorded))
            state_->recorded.pop_front();
        if (state_->opts.verbose)
            std::cerr << "messages-api: " << req.method << ' ' << req.target << " ("
                      << req.body.size() << " bytes)\n";
    }

    static reply error_answer(std::uint64_t n, int status, std::string_view type,
                              std::string_view message) {
        reply r = json_answer(n, status, error_json(type, message));
        r.headers.set("x-should-retry", "false");
        return r;
    }

    /// The reply, or (with `events` filled) the head of a stream of server-sent events.
    reply answer_request(exchange& ex, std::uint64_t n, std::vector<std::string>& events) const {
        const auto& req = ex.request();
        const std::string_view path = ex.path();
        if (req.method == "HEAD" || (req.method == "GET" && path == "/")) return reply{};
        if (!authorized(req.headers))
            return error_answer(n, 401, "authentication_error", "invalid x-api-key");
        if (req.method == "POST" && path == "/v1/messages") return messages(req.body, n, events);
        if (req.method == "POST" && path == "/v1/messages/count_tokens")
            return json_answer(
                n, 200, R"({"input_tokens":)" + std::to_string(tokens(req.body.size())) + "}");
        if (req.method == "GET" && path == "/v1/models")
            return json_answer(n, 200, std::string(models_json));
        return error_answer(n, 404, "not_found_error",
                            "Not found: " + req.method + " " + std::string(path));
    }

    static reply messages(const std::string& body, std::uint64_t n,
                          std::vector<std::string>& events) {
        conversation conv;
        if (auto bad = read_conversation(body, conv))
            return error_answer(n, 400, "invalid_request_error", *bad);
        const answer a = decide(conv);
        if (a.what == answer::kind::error)
            return error_answer(n, a.status, a.error_type, a.error_message);
        const std::int64_t in = tokens(conv.prompt.size() + conv.tool_output.size());
        const std::int64_t out =
            tokens(a.what == answer::kind::tool_use ? a.command.size() + 40 : a.text.size());
        if (!conv.stream) return json_answer(n, 200, message_json(a, conv, n, in, out, true));
        events = stream_events(a, conv, n, in, out);
        reply r;
        r.headers.set("Content-Type", "text/event-stream; charset=utf-8");
        r.headers.set("Cache-Control", "no-cache");
        r.headers.set("request-id", "req_standin_" + std::to_string(n));
        return r;
    }
    std::shared_ptr<messages_api::state> state_;
};

}  // namespace messages_impl

messages_api::messages_api(messages_api_options opts)
    : opts_(std::move(opts)), state_(std::make_shared<state>()) {
    state_->opts = opts_;
}

messages_api::~messages_api() {
    stop();
}

result<void> messages_api::start() {
    if (server_) return {};
    server_options so;
    so.bind_address = opts_.bind_address;
    so.port = opts_.port;
    so.threads = 1;
    server_ =
        std::make_unique<http_server>(so, std::make_shared<messages_impl::api_handler>(state_));
    auto port = server_->start();
    if (!port) {
        server_.reset();
        return std::move(port).error();
    }
    return {};
}

void messages_api::stop() {
    if (server_) server_->stop();
    server_.reset();
}

std::uint16_t messages_api::port() const noexcept {
    return server_ ? server_->port() : 0;
}

std::string messages_api::base_url() const {
    return "http://" + opts_.bind_address + ":" + std::to_string(port());
}

std::vector<recorded_request> messages_api::requests() const {
    std::lock_guard lock(state_->mu);
    return {state_->recorded.begin(), state_->recorded.end()};
}

std::vector<std::string> messages_api::message_bodies() const {
    std::vector<std::string> out;
    std::lock_guard lock(state_->mu);
    for (const auto& r : state_->recorded)
        if (r.method == "POST" && r.target.starts_with("/v1/messages") &&
            !r.target.starts_with("/v1/messages/"))
            out.push_back(r.body);
    return out;
}

void messages_api::clear() {
    std::lock_guard lock(state_->mu);
    state_->recorded.clear();
}

}  // namespace daytona::emulator
