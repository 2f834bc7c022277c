// SPDX-License-Identifier: Apache-2.0
// Language server models (toolbox tag `lsp`): LspServerRequest, LspDocumentRequest,
// LspCompletionParams, CompletionList, LspSymbol and their parts. Aggregates only; codecs in
// codec/lsp.hpp.
#ifndef DAYTONA_MODELS_LSP_HPP
#define DAYTONA_MODELS_LSP_HPP

#include "daytona/config.hpp"

#include <optional>
#include <string>
#include <vector>

DAYTONA_BEGIN_NAMESPACE

/// OpenAPI `LspServerRequest`: which server (language and project root).
struct lsp_server_request {
    /// "python", "typescript" or "javascript".
    std::string language_id{};
    /// The project's root directory in the sandbox.
    std::string path_to_project{};
};

/// OpenAPI `LspDocumentRequest`.
struct lsp_document_request {
    std::string language_id{};
    std::string path_to_project{};
    /// `file://` + the document's absolute path in the sandbox.
    std::string uri{};
};

/// OpenAPI `LspPosition`: zero-based line and character.
struct lsp_position {
    int line = 0;
    int character = 0;
};

/// OpenAPI `CompletionContext`.
struct lsp_completion_context {
    /// 1: invoked, 2: a trigger character was typed, 3: re-triggered.
    int trigger_kind = 1;
    std::optional<std::string> trigger_character{};
};

/// OpenAPI `LspCompletionParams`.
struct lsp_completion_params {
    std::string language_id{};
    std::string path_to_project{};
    std::string uri{};
    lsp_position position{};
    std::optional<lsp_completion_context> context{};
};

/// OpenAPI `CompletionItem`.
struct lsp_completion_item {
    std::string label{};
    /// LSP CompletionItemKind (3 function, 6 variable, 7 class, 9 module, ...).
    std::optional<int> kind{};
    std::optional<std::string> detail{};
    /// The server's documentation value as JSON text (a string or a MarkupContent object);
    /// empty when there is none.
    std::string documentation{};
    std::optional<std::string> sort_text{};
    std::optional<std::string> filter_text{};
    std::optional<std::string> insert_text{};
};

/// OpenAPI `CompletionList`.
struct lsp_completion_list {
    bool is_incomplete = false;
    std::vector<lsp_completion_item> items{};
};

/// OpenAPI `LspRange`.
struct lsp_range {
    lsp_position start{};
    lsp_position end{};
};

/// OpenAPI `LspLocation`.
struct lsp_location {
    std::string uri{};
    lsp_range range{};
};

/// OpenAPI `LspSymbol`: a symbol of a document or of the workspace.
struct lsp_symbol {
    std::string name{};
    /// LSP SymbolKind (5 class, 6 method, 12 function, 13 variable, ...).
    int kind = 0;
    lsp_location location{};
};

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_MODELS_LSP_HPP
