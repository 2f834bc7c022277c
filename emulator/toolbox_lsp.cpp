// SPDX-License-Identifier: Apache-2.0
// /toolbox/{id}/lsp/...: language servers for python, typescript and javascript, one per project
// path; documents are addressed by `file://` URIs of absolute sandbox paths.
//
// Each (language, project) pair is a real language server speaking JSON-RPC over stdio:
// `pylsp` (Debian's python3-pylsp) for python, `typescript-language-server --stdio` for
// typescript and javascript when one is on PATH. The emulator translates the daemon's REST
// calls into LSP messages and the answers back into the daemon's shapes. One request at a time
// goes to a server; notifications it sends in between (diagnostics, progress) are read and
// dropped, and requests it makes of the client are answered with null.
#include "areas.hpp"

#include <daytona/api/operations.hpp>
#include <daytona/codec/lsp.hpp>
#include <daytona/codec/sandbox.hpp>

#include <daytona/detail/string.hpp>
#include <daytona/json/reader.hpp>
#include <daytona/json/writer.hpp>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <asio/experimental/awaitable_operators.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/write.hpp>

#include <cerrno>
#include <cstring>

namespace daytona::emulator {

namespace lsp_impl {

namespace ops = api::ops;

/// A JSON value kept as its text, to pass on what the server said without modelling it.
struct raw_json {
    std::string text;
};

void decode_value(json::value& v, raw_json& out, json::decoder& d) {
    // simdjson 3.0 gives the raw text of containers and of scalar tokens, not of any value.
    simdjson::ondemand::json_type type;
    std::string_view raw;
    simdjson::error_code e = v.type().get(type);
    if (!e && type == simdjson::ondemand::json_type::object) {
        simdjson::ondemand::object o;
        e = v.get_object().get(o);
        if (!e) e = o.raw_json().get(raw);
    } else if (!e && type == simdjson::ondemand::json_type::array) {
        simdjson::ondemand::array a;
        e = v.get_array().get(a);
        if (!e) e = a.raw_json().get(raw);
    } else if (!e) {
        raw = v.raw_json_token();
    }
    if (e) {
        d.fail(e, "value", &v);
        return;
    }
    out.text.assign(detail::trim(raw));
}

/// One JSON-RPC message from the server.
struct rpc_message {
    std::optional<raw_json> id, result, error;
    std::optional<std::string> method;
};

void decode_value(json::value& v, rpc_message& out, json::decoder& d) {
    d.object(v, "object", json::into("id", out.id), json::into("method", out.method),
             json::into("result", out.result), json::into("error", out.error));
}

struct rpc_error {
    std::int64_t code = 0;
    std::string message;
};

void decode_value(json::value& v, rpc_error& out, json::decoder& d) {
    d.object(v, "object", json::into("code", out.code), json::into("message", out.message));
}

struct completion_item {
    std::string label;
    std::optional<int> kind;
    std::optional<std::string> detail, sort_text, filter_text, insert_text;
    std::optional<raw_json> documentation;
};

void decode_value(json::value& v, completion_item& out, json::decoder& d) {
    d.object(v, "object", json::into("label", out.label), json::into("kind", out.kind),
             json::into("detail", out.detail), json::into("sortText", out.sort_text),
             json::into("filterText", out.filter_text), json::into("insertText", out.insert_text),
             json::into("documentation", out.documentation));
}

struct completion_list {
    bool is_incomplete = false;
    std::vector<completion_item> items;
};

void decode_value(json::value& v, completion_list& out, json::decoder& d) {
    d.object(v, "object", json::into("isIncomplete", out.is_incomplete),
             json::into("items", out.items));
}

/// SymbolInformation (with a location) or DocumentSymbol (with a range and children).
struct symbol {
    std::string name;
    int kind = 0;
    std::optional<lsp_location> where;
    std::optional<lsp_range> range;
    std::vector<symbol> children;
};

void decode_value(json::value& v, symbol& out, json::decoder& d) {
    d.object(v, "object", json::into("name", out.name), json::into("kind", out.kind),
             json::into("location", out.where), json::into("range", out.range),
             json::into("children", out.children));
}

/// The server's command for a language; empty when the language is not one the daemon knows.
std::vector<std::string> server_command(std::string_view language) {
    if (language == "python") return {"pylsp"};
    if (language == "typescript" || language == "javascript")
        return {"typescript-language-server", "--stdio"};
    return {};
}

std::string server_key(std::string_view language, std::string_view project) {
    return std::string(language) + ' ' + std::string(project);
}

/// Takes one whole message (Content-Length framing) off `inbox`; nullopt if none is complete.
/// Sets `bad` when the framing is broken.
std::optional<std::string> take_message(std::string& inbox, bool& bad) {
    auto end = inbox.find("\r\n\r\n");
    if (end == std::string::npos) {
        bad = inbox.size() > 64 * 1024;
        return std::nullopt;
    }
    std::optional<std::size_t> length;
    std::string_view head = std::string_view(inbox).substr(0, end);
    while (!head.empty()) {
        auto eol = head.find("\r\n");
        auto line = head.substr(0, eol);
        if (auto colon = line.find(':'); colon != std::string_view::npos &&
                                         detail::iequals(line.substr(0, colon), "content-length"))
            length = detail::parse_uint<std::size_t>(detail::trim(line.substr(colon + 1)));
        if (eol == std::string_view::npos) break;
        head.remove_prefix(eol + 2);
    }
    if (!length || *length > 64 * 1024 * 1024) {
        bad = true;
        return std::nullopt;
    }
    if (inbox.size() < end + 4 + *length) return std::nullopt;
    std::string body = inbox.substr(end + 4, *length);
    inbox.erase(0, end + 4 + *length);
    return body;
}

std::string frame(std::string_view body) {
    return "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

/// The answer to one request: the raw result, or why there is none.
struct rpc_outcome {
    std::optional<std::string> result;
    std::string error;  ///< set when result is empty
    bool server_failed = false;
};

asio::awaitable<void> lsp_send(lsp_server& srv, std::string body) {
    auto exec = co_await asio::this_coro::executor;
    asio::posix::stream_descriptor to(exec, srv.to_server.duplicate());
    const std::string bytes = frame(body);
    std::error_code ec;
    co_await asio::async_write(to, asio::buffer(bytes), net::redirect(ec));
}

/// Sends a request and reads messages until its answer arrives.
asio::awaitable<rpc_outcome> lsp_call(lsp_server& srv, std::string_view method,
                                      std::string params) {
    const auto id = srv.next_id++;
    {
        std::string body;
        json::writer w(body);
        w.begin_object().member("jsonrpc", "2.0").member("id", id).member("method", method);
        w.key("params").raw(params).end_object();
        co_await lsp_send(srv, std::move(body));
    }
    auto exec = co_await asio::this_coro::executor;
    asio::posix::stream_descriptor from(exec, srv.from_server.duplicate());
    // A language server indexing a large project can be slow, but not this slow.
    asio::steady_timer deadline(exec);
    deadline.expires_after(std::chrono::seconds(60));
    const std::string want = std::to_string(id);
    rpc_outcome out;
    for (;;) {
        bool bad = false;
        auto text = take_message(srv.inbox, bad);
        if (bad) {
            out.error = "the language server broke the JSON-RPC framing";
            out.server_failed = true;
            co_return out;
        }
        if (!text) {
            char buf[16384];
            std::error_code read_ec, timer_ec;
            using namespace asio::experimental::awaitable_operators;
            auto reading = from.async_read_some(asio::buffer(buf), net::redirect(read_ec));
            auto waiting = deadline.async_wait(net::redirect(timer_ec));
            auto either = std::move(reading) || std::move(waiting);
            auto which = co_await std::move(either);
            if (which.index() == 1) {
                out.error =
                    "the language server did not answer " + std::string(method) + " within 60 s";
                out.server_failed = true;
                co_return out;
            }
            const auto n = std::get<0>(which);
            if (read_ec || n == 0) {
                out.error = "the language server exited";
                out.server_failed = true;
                co_return out;
            }
            srv.inbox.append(buf, n);
            continue;
        }
        auto msg = json::decode<rpc_message>(*text, "message");
        if (!msg) continue;
        if (msg->method) {
            if (msg->id) {  // a request of the client (configuration, progress): say nothing
                std::string reply_body;
                json::writer w(reply_body);
                w.begin_object().member("jsonrpc", "2.0").key("id").raw(msg->id->text);
                w.key("result").null().end_object();
                co_await lsp_send(srv, std::move(reply_body));
            }
            continue;  // notifications: diagnostics, progress, log messages
        }
        if (!msg->id || msg->id->text != want) continue;
        if (msg->error) {
            auto e = json::decode<rpc_error>(msg->error->text, "error");
            out.error = e ? e->message : msg->error->text;
            co_return out;
        }
        out.result = msg->result ? msg->result->text : "null";
        co_return out;
    }
}

asio::awaitable<void> lsp_notify(lsp_server& srv, std::string_view method, std::string params) {
    std::string body;
    json::writer w(body);
    w.begin_object().member("jsonrpc", "2.0").member("method", method);
    w.key("params").raw(params).end_object();
    co_await lsp_send(srv, std::move(body));
}

bool contains_ignoring_case(std::string_view hay, std::string_view needle) {
    auto lower = [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    };
    if (needle.size() > hay.size()) return false;
    for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
        std::size_t k = 0;
        while (k < needle.size() && lower(hay[i + k]) == lower(needle[k]))
            ++k;
        if (k == needle.size()) return true;
    }
    return false;
}

/// Symbols in the daemon's flat shape; DocumentSymbol trees are flattened, and a symbol
/// without a location of its own is placed in `document_uri`. `map_uri` turns the server's
/// URIs into the sandbox's.
template <class MapUri>
void flatten_symbols(std::vector<lsp_symbol>& out, const std::vector<symbol>& symbols,
                     const std::string& document_uri, std::string_view query, MapUri& map_uri) {
    for (const auto& s : symbols) {
        const bool wanted = query.empty() || contains_ignoring_case(s.name, query);
        if (wanted && (s.where || s.range))
            out.push_back({.name = s.name,
                           .kind = s.kind,
                           .location = {.uri = s.where ? map_uri(s.where->uri) : document_uri,
                                        .range = s.where ? s.where->range : *s.range}});
        flatten_symbols(out, s.children, document_uri, query, map_uri);
    }
}

/// What every LSP request names: the server (language and project) and, for document
/// operations, the document.
struct lsp_request {
    std::string language, project, uri;
    std::optional<fs::path> document;
    std::optional<lsp_completion_params> completion;
    std::string key;  ///< the server's key in the sandbox runtime
};

/// {"textDocument":{"uri":...}}: the parameters of a request about one document.
std::string document_params(std::string_view server_uri) {
    std::string out;
    json::writer w(out);
    w.begin_object().key("textDocument").begin_object().member("uri", server_uri);
    w.end_object().end_object();
    return out;
}

reply not_started(const exchange& ex, const lsp_request& r) {
    return toolbox_error(ex, 400, "BAD_REQUEST",
                         "no " + r.language + " language server is started for " + r.project +
                             " (POST /lsp/start first)");
}

/// A request and the started server it names, whose turn it holds.
struct lsp_turn {
    lsp_request request;
    std::shared_ptr<lsp_server> server;
};

class lsp {
public:
    explicit lsp(context& ctx) : ctx_(ctx) {}

    asio::awaitable<void> start(call& c);
    asio::awaitable<void> stop(call& c);
    asio::awaitable<void> did_open(call& c);
    asio::awaitable<void> did_close(call& c);
    asio::awaitable<void> completions(call& c);
    /// document-symbols and workspacesymbols.
    asio::awaitable<void> symbols(call& c);

private:
    /// Reads and checks the request; nullopt after answering 400.
    asio::awaitable<std::optional<lsp_request>> prepare(call& c);
    /// The started server the request names, its turn taken; null after answering 400.
    asio::awaitable<std::shared_ptr<lsp_server>> take_server(call& c, const lsp_request& r);
    /// prepare() and take_server(); nullopt after answering.
    asio::awaitable<std::optional<lsp_turn>> begin(call& c);
    /// Gives the turn back (forgetting and killing a server that failed) and answers.
    asio::awaitable<void> finish(call& c, lsp_turn& turn, reply answer, bool server_failed);
    /// Starts the language server process (not yet initialized).
    bool start_server(const sandbox_record& rec, lsp_server& srv, std::string& why);
    /// A client's `file://` URI (a sandbox path) as the server sees it, and back.
    std::string uri_to_server(const sandbox_record& rec, std::string_view uri) const;
    std::string uri_from_server(const sandbox_record& rec, std::string_view uri) const;

    context& ctx_;
};

std::string lsp::uri_to_server(const sandbox_record& rec, std::string_view uri) const {
    constexpr std::string_view scheme = "file://";
    if (!uri.starts_with(scheme)) return std::string(uri);
    return std::string(scheme) + ctx_.host.process_path(rec, ctx_.host.absolute_in_sandbox(
                                                                 rec, uri.substr(scheme.size())));
}

std::string lsp::uri_from_server(const sandbox_record& rec, std::string_view uri) const {
    // Without mount namespaces the server sees host paths under the sandbox's root.
    constexpr std::string_view scheme = "file://";
    const std::string root = rec.root().string();
    if (!uri.starts_with(scheme)) return std::string(uri);
    auto path = uri.substr(scheme.size());
    if (path.starts_with(root) && (path.size() == root.size() || path[root.size()] == '/'))
        return std::string(scheme) +
               (path.size() == root.size() ? "/" : std::string(path.substr(root.size())));
    return std::string(uri);
}

bool lsp::start_server(const sandbox_record& rec, lsp_server& srv, std::string& why) {
    auto argv = server_command(srv.language);
    const auto program = find_program(argv.front());
    if (program.empty()) {
        why = "no " + srv.language + " language server is installed where the emulator runs (" +
              argv.front() + " is not on PATH)";
        return false;
    }
    argv.front() = program;
    auto in = make_pipe(), out = make_pipe();
    if (!in.read || !out.read) {
        why = std::string("pipe: ") + std::strerror(errno);
        return false;
    }
    auto spec = ctx_.host.process_spec(rec, std::move(argv), srv.project, {});
    spec.stdin_fd = in.read.get();
    spec.stdout_fd = out.write.get();
    auto child = spawn_process(spec, why);  // its pidfd closes here: stop() reaps with waitpid
    if (child.pid < 0) return false;
    srv.to_server = std::move(in.write);
    srv.from_server = std::move(out.read);
    srv.pid = child.pid;
    return true;
}

asio::awaitable<std::optional<lsp_request>> lsp::prepare(call& c) {
    auto& ex = c.ex;
    const auto& rec = c.sandbox();
    const auto op = c.matched.name();
    lsp_request r;
    if (op == ops::lsp_start.name || op == ops::lsp_stop.name) {
        auto body = co_await read_json<lsp_server_request>(ex, true);
        if (!body) co_return std::nullopt;
        r.language = body->language_id;
        r.project = body->path_to_project;
    } else if (op == ops::lsp_did_open.name || op == ops::lsp_did_close.name) {
        auto body = co_await read_json<lsp_document_request>(ex, true);
        if (!body) co_return std::nullopt;
        r.language = body->language_id;
        r.project = body->path_to_project;
        r.uri = body->uri;
    } else if (op == ops::lsp_completions.name) {
        r.completion = co_await read_json<lsp_completion_params>(ex, true);
        if (!r.completion) co_return std::nullopt;
        r.language = r.completion->language_id;
        r.project = r.completion->path_to_project;
        r.uri = r.completion->uri;
    } else {  // document-symbols, workspacesymbols: GET
        r.language = ex.query_param("languageId").value_or("");
        r.project = ex.query_param("pathToProject").value_or("");
        r.uri = ex.query_param("uri").value_or("");
    }
    if (server_command(r.language).empty()) {
        co_await send(ex, toolbox_error(ex, 400, "BAD_REQUEST",
                                        "unsupported languageId '" + r.language +
                                            "' (python, typescript and javascript are)"));
        co_return std::nullopt;
    }
    std::string why;
    auto project_dir = ctx_.host.host_path(rec, r.project, &why);
    std::error_code ec;
    if (project_dir && !fs::is_directory(*project_dir, ec))
        why = "pathToProject " + ctx_.host.absolute_in_sandbox(rec, r.project) +
              " is not a directory";
    if (!why.empty()) {
        co_await send(ex, toolbox_error(ex, 400, "INVALID_FILE_PATH", why));
        co_return std::nullopt;
    }
    r.project = ctx_.host.absolute_in_sandbox(rec, r.project);
    r.key = server_key(r.language, r.project);
    const bool needs_document = op == ops::lsp_did_open.name || op == ops::lsp_did_close.name ||
                                op == ops::lsp_completions.name ||
                                op == ops::lsp_document_symbols.name;
    if (!needs_document) co_return r;
    if (!r.uri.starts_with("file://")) {
        co_await send(ex,
                      toolbox_error(ex, 400, "BAD_REQUEST", "uri must be a file:// URI: " + r.uri));
        co_return std::nullopt;
    }
    r.document = ctx_.host.host_path(rec, std::string_view(r.uri).substr(7), &why);
    if (!r.document) {
        co_await send(ex, toolbox_error(ex, 400, "INVALID_FILE_PATH", why));
        co_return std::nullopt;
    }
    co_return r;
}

asio::awaitable<void> lsp::start(call& c) {
    auto& ex = c.ex;
    const auto& rec = c.sandbox();
    auto r = co_await prepare(c);
    if (!r) co_return;
    auto rt = ctx_.runtime_of(rec.info.id);
    bool running = false;
    {
        // Never held across a co_await: the coroutine may resume on another thread.
        std::lock_guard lock(rt->mu);
        running = rt->lsp_servers.count(r->key) != 0;
    }
    if (running) co_return co_await send(ex, empty_reply(200));
    auto srv = std::make_shared<lsp_server>();
    srv->language = r->language;
    srv->project = r->project;
    std::string why;
    if (!start_server(rec, *srv, why))
        co_return co_await send(ex, toolbox_error(ex, 500, "INTERNAL_SERVER_ERROR", why));
    bool won = false;
    {
        std::lock_guard lock(rt->mu);
        won = rt->lsp_servers.emplace(r->key, srv).second;
    }
    if (!won) {
        // A concurrent start won: its server is the one kept, this one is ended.
        if (srv->pid > 0) ::kill(-srv->pid, SIGKILL);
        co_return co_await send(ex, empty_reply(200));
    }
    co_await take_turn(rt->mu, srv->busy);
    std::string params;
    {
        json::writer w(params);
        const auto root = "file://" + ctx_.host.process_path(rec, r->project);
        w.begin_object().key("processId").null().member("rootUri", root);
        w.key("capabilities")
            .raw(R"({"textDocument":{"completion":{"completionItem":{"snippetSupport":false}},)"
                 R"("documentSymbol":{"hierarchicalDocumentSymbolSupport":true}}})");
        w.key("workspaceFolders").begin_array().begin_object();
        w.member("uri", root).member("name", fs::path(r->project).filename().string());
        w.end_object().end_array().end_object();
    }
    auto init = co_await lsp_call(*srv, "initialize", std::move(params));
    if (init.result) co_await lsp_notify(*srv, "initialized", "{}");
    {
        std::lock_guard lock(rt->mu);
        srv->busy = false;
        if (!init.result) rt->lsp_servers.erase(r->key);
    }
    if (!init.result)
        co_return co_await send(
            ex, toolbox_error(ex, 500, "INTERNAL_SERVER_ERROR",
                              "the language server failed to start: " + init.error));
    co_await send(ex, empty_reply(200));
}

asio::awaitable<std::shared_ptr<lsp_server>> lsp::take_server(call& c, const lsp_request& r) {
    auto rt = ctx_.runtime_of(c.sandbox().info.id);
    std::shared_ptr<lsp_server> srv;
    {
        std::lock_guard lock(rt->mu);
        if (auto it = rt->lsp_servers.find(r.key); it != rt->lsp_servers.end()) srv = it->second;
    }
    if (!srv) {
        co_await send(c.ex, not_started(c.ex, r));
        co_return nullptr;
    }
    co_await take_turn(rt->mu, srv->busy);
    co_return srv;
}

asio::awaitable<std::optional<lsp_turn>> lsp::begin(call& c) {
    auto r = co_await prepare(c);
    if (!r) co_return std::nullopt;
    auto srv = co_await take_server(c, *r);
    if (!srv) co_return std::nullopt;
    lsp_turn turn{std::move(*r), std::move(srv)};
    co_return turn;
}

asio::awaitable<void> lsp::finish(call& c, lsp_turn& turn, reply answer, bool server_failed) {
    const auto& r = turn.request;
    const auto& srv = turn.server;
    {
        auto rt = ctx_.runtime_of(c.sandbox().info.id);
        std::lock_guard lock(rt->mu);
        srv->busy = false;
        // A server that died or hung is forgotten, so a new start can replace it.
        if (auto it = rt->lsp_servers.find(r.key);
            server_failed && it != rt->lsp_servers.end() && it->second == srv)
            rt->lsp_servers.erase(it);
    }
    if (server_failed && srv->pid > 0) ::kill(-srv->pid, SIGKILL);
    co_await send(c.ex, std::move(answer));
}

asio::awaitable<void> lsp::stop(call& c) {
    auto r = co_await prepare(c);
    if (!r) co_return;
    std::shared_ptr<lsp_server> srv;
    {
        auto rt = ctx_.runtime_of(c.sandbox().info.id);
        std::lock_guard lock(rt->mu);
        if (auto it = rt->lsp_servers.find(r->key); it != rt->lsp_servers.end()) {
            srv = it->second;
            rt->lsp_servers.erase(it);
        }
    }
    if (!srv) co_return co_await send(c.ex, not_started(c.ex, *r));
    // A request in flight holds its own reference; the kill ends it.
    if (srv->pid > 0) ::kill(-srv->pid, SIGKILL);
    co_await send(c.ex, empty_reply(200));
}

asio::awaitable<void> lsp::did_open(call& c) {
    auto turn = co_await begin(c);
    if (!turn) co_return;
    const auto& r = turn->request;
    const auto& srv = turn->server;
    const auto& rec = c.sandbox();
    reply answer = empty_reply(200);
    auto text = read_file(*r.document);
    if (!text) {
        answer =
            toolbox_error(c.ex, 404, "FILE_NOT_FOUND",
                          "cannot read " + ctx_.host.absolute_in_sandbox(rec, r.uri.substr(7)));
    } else {
        std::string params;
        json::writer w(params);
        w.begin_object().key("textDocument").begin_object();
        w.member("uri", uri_to_server(rec, r.uri))
            .member("languageId", r.language)
            .member("version", 1);
        w.member("text", valid_utf8(*text)).end_object().end_object();
        co_await lsp_notify(*srv, "textDocument/didOpen", std::move(params));
        srv->open_documents.insert(r.uri);
    }
    co_await finish(c, *turn, std::move(answer), false);
}

asio::awaitable<void> lsp::did_close(call& c) {
    auto turn = co_await begin(c);
    if (!turn) co_return;
    const auto& r = turn->request;
    const auto& srv = turn->server;
    auto params = document_params(uri_to_server(c.sandbox(), r.uri));
    co_await lsp_notify(*srv, "textDocument/didClose", std::move(params));
    srv->open_documents.erase(r.uri);
    co_await finish(c, *turn, empty_reply(200), false);
}

asio::awaitable<void> lsp::completions(call& c) {
    auto turn = co_await begin(c);
    if (!turn) co_return;
    const auto& r = turn->request;
    const auto& srv = turn->server;
    const auto& completion = *r.completion;
    std::string params;
    {
        json::writer w(params);
        w.begin_object()
            .key("textDocument")
            .begin_object()
            .member("uri", uri_to_server(c.sandbox(), r.uri));
        w.end_object().key("position");
        encode(w, completion.position);
        if (completion.context) {
            w.key("context");
            encode(w, *completion.context);
        }
        w.end_object();
    }
    auto got = co_await lsp_call(*srv, "textDocument/completion", std::move(params));
    completion_list list;
    if (got.result && !got.result->empty() && got.result->front() == '[') {
        auto items = json::decode<std::vector<completion_item>>(*got.result, "items");
        if (items) list.items = std::move(*items);
    } else if (got.result && *got.result != "null") {
        auto decoded = json::decode<completion_list>(*got.result, "completions");
        if (decoded) list = std::move(*decoded);
    }
    reply answer;
    if (!got.result) {
        answer =
            toolbox_error(c.ex, 500, "INTERNAL_SERVER_ERROR", "completion failed: " + got.error);
    } else {
        lsp_completion_list out{.is_incomplete = list.is_incomplete};
        for (auto& item : list.items)
            out.items.push_back(
                {.label = std::move(item.label),
                 .kind = item.kind,
                 .detail = std::move(item.detail),
                 .documentation = item.documentation ? std::move(item.documentation->text) : "",
                 .sort_text = std::move(item.sort_text),
                 .filter_text = std::move(item.filter_text),
                 .insert_text = std::move(item.insert_text)});
        answer = encoded_reply(out);
    }
    co_await finish(c, *turn, std::move(answer), got.server_failed);
}

asio::awaitable<void> lsp::symbols(call& c) {
    const auto& rec = c.sandbox();
    auto turn = co_await begin(c);
    if (!turn) co_return;
    const auto& r = turn->request;
    const auto& srv = turn->server;
    // document-symbols: the server's answer for one document. workspacesymbols: the server's
    // workspace/symbol, or (pylsp has none) the open documents' symbols whose names contain the
    // query.
    const bool workspace = c.matched.name() == ops::lsp_workspace_symbols.name;
    std::vector<lsp_symbol> out;
    std::string failure;
    bool server_failed = false;
    auto map_uri = [&](std::string_view u) {
        return uri_from_server(rec, u);
    };
    const auto query = workspace ? c.ex.query_param("query").value_or("") : "";
    bool answered = false;
    if (workspace) {
        std::string params;
        json::writer pw(params);
        pw.begin_object().member("query", query).end_object();
        auto got = co_await lsp_call(*srv, "workspace/symbol", std::move(params));
        if (got.result && *got.result != "null") {
            auto symbols = json::decode<std::vector<symbol>>(*got.result, "symbols");
            if (symbols) {
                flatten_symbols(out, *symbols, "", "", map_uri);
                answered = true;
            }
        }
        if (got.server_failed) {
            failure = got.error;
            server_failed = true;
        }
    }
    std::vector<std::string> documents;
    if (!workspace)
        documents.push_back(r.uri);
    else if (!answered && failure.empty())
        documents.assign(srv->open_documents.begin(), srv->open_documents.end());
    for (const auto& doc : documents) {
        auto params = document_params(uri_to_server(rec, doc));
        auto got = co_await lsp_call(*srv, "textDocument/documentSymbol", std::move(params));
        if (!got.result) {
            failure = got.error;
            server_failed = got.server_failed;
            break;
        }
        auto symbols = json::decode<std::vector<symbol>>(*got.result, "symbols");
        if (symbols) flatten_symbols(out, *symbols, doc, query, map_uri);
    }
    reply answer =
        failure.empty()
            ? encoded_reply(out)
            : toolbox_error(c.ex, 500, "INTERNAL_SERVER_ERROR",
                            std::string(workspace ? "workspacesymbols" : "document-symbols") +
                                " failed: " + failure);
    co_await finish(c, *turn, std::move(answer), server_failed);
}

}  // namespace lsp_impl

void add_lsp_routes(route_table& table, context& ctx) {
    using lsp_impl::lsp;
    namespace ops = api::ops;
    table.add(std::make_shared<lsp>(ctx), {{ops::lsp_start, &lsp::start},
                                           {ops::lsp_stop, &lsp::stop},
                                           {ops::lsp_did_open, &lsp::did_open},
                                           {ops::lsp_did_close, &lsp::did_close},
                                           {ops::lsp_completions, &lsp::completions},
                                           {ops::lsp_document_symbols, &lsp::symbols},
                                           {ops::lsp_workspace_symbols, &lsp::symbols}});
}

}  // namespace daytona::emulator
