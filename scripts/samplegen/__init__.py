"""Generator of the synthetic Tongliao sample inventory (see docs/sample-data.md).

Everything here is SYNTHETIC: the enterprises are fictional, their credit codes are made up
(with correct check characters), and the magnitudes are assumptions documented in
docs/sample-data.md.
"""
