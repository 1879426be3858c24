import HTTPClient
import JSON

/// A Prometheus answer read into a tree, with the room it holds in the plugin's memory budget for answers
/// (``PrometheusClient/treeCostPerByte`` times the answer's size), given back when the last copy goes.
public struct PrometheusDocument: Sendable {
    /// The document.
    public let value: JSONValue
    /// The room the answer and its tree hold: give it to a text made of the tree (``JSONText/keepsAlive``) to keep
    /// that text counted until it is written.
    public let reservation: BodyReservation?

    /// The member `key` of the document.
    public subscript(key: String) -> JSONValue? { value[key] }
}
