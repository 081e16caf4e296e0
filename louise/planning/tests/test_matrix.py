"""The straight-line matrix: what it remembers must not outlive a place's position."""

from louise.planning import HaversineMatrix, Location


def test_a_place_that_moves_is_measured_where_it_is_now():
    # given a matrix that has measured the way from the hub to a shop
    matrix = HaversineMatrix()
    hub = Location("hub:1", 51.5236, 6.9285)
    before = matrix.distance(hub, Location("merchant:1", 51.5240, 6.9290))
    # when the shop (same id) has moved 2 km north, or a new database reuses its id
    after = matrix.distance(hub, Location("merchant:1", 51.5420, 6.9290))
    # then the matrix measures the new position, not the remembered pair of ids
    assert before < 100 < 2000 < after
